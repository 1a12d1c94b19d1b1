"""Running the web application with uvicorn (`newsint serve`)."""

from __future__ import annotations

from pathlib import Path

from newsint.web.security import LOOPBACK_HOSTS, MAX_HEAD_BYTES, is_loopback, load_token


def serve_url(host: str, port: int) -> str:
    """The address to open in a browser for a server bound to `host`:`port`."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def allowed_hosts_for(host: str) -> tuple[str, ...]:
    """Host names requests may name: this machine's loopback names for a server bound to
    loopback; any name for a server bound to another address (the operator chose to
    expose it, and cannot know every name clients use)."""
    if not is_loopback(host):
        return ("*",)
    own = f"[{host}]" if ":" in host else host
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, own)))


def run(
    db: str | Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    token_file: str | Path | None = None,
    say=print,
) -> None:
    """Serve the store at `db` until interrupted. Raises StoreError or TokenError with a
    message for the user when the store or the token cannot be used."""
    import uvicorn

    from newsint.web.app import create_app

    token = load_token(token_file)
    app = create_app(db, token=token, allowed_hosts=allowed_hosts_for(host))
    say(f"newsint: serving {db} at {serve_url(host, port)} (Ctrl+C to stop)")
    say(
        "newsint: POST /api/analyze is "
        + ("enabled (send Authorization: Bearer TOKEN)" if token else "disabled (no API token configured)")
    )
    if not is_loopback(host):
        say(f"newsint: warning: bound to {host}, so other machines can reach this server")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False,
        server_header=False, proxy_headers=False, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
    )
