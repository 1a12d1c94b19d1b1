"""HTTP hardening for `newsint serve`: response headers, request limits, host names, and the
API token.

Articles are untrusted input (a scraped page can carry `<script>` and `onerror=` payloads),
so besides escaping everything, every response carries a Content-Security-Policy that only
lets the page run the server's own script files: an injected inline script or event handler
would not run even if escaping failed somewhere.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
)

# Request bodies are refused (413) over this size. The analyze endpoint takes the largest:
# its text limit (MAX_ANALYZE_CHARS in app.py) as UTF-8 JSON fits inside this.
MAX_BODY_BYTES = 1 << 20  # 1 MiB
# uvicorn refuses a request line plus headers over this size (414/431-style 400s), which
# bounds every query string.
MAX_HEAD_BYTES = 16 * 1024

TOKEN_ENV = "NEWSINT_API_TOKEN"
MIN_TOKEN_CHARS = 16

# Host names a browser uses for a server on this machine. A request naming any other host
# is refused, which defeats DNS rebinding (a web page whose own domain is made to resolve
# to 127.0.0.1 in order to read this server's answers).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class TokenError(ValueError):
    """The configured API token cannot be used; the message says why."""


def check_token(token: str | None) -> str | None:
    """The token stripped of surrounding whitespace, or an error when it is too short."""
    if token is None:
        return None
    token = token.strip()
    if len(token) < MIN_TOKEN_CHARS:
        raise TokenError(f"the API token must be at least {MIN_TOKEN_CHARS} characters long")
    return token


def load_token(token_file: str | Path | None = None, environ: dict[str, str] | None = None) -> str | None:
    """The API token from a file (its first line) or from NEWSINT_API_TOKEN; None when
    neither is set, which leaves POST /api/analyze disabled."""
    environ = os.environ if environ is None else environ
    if token_file is not None:
        try:
            text = Path(token_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenError(f"cannot read the token file {token_file}: {exc}") from None
        lines = text.strip().splitlines()
        return check_token(lines[0] if lines else "")
    value = environ.get(TOKEN_ENV)
    return check_token(value) if value else None


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison (the time taken says nothing about the expected token)."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """Adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
