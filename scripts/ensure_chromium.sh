#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download its own browser
# where newsint is built and tested). Install it with apt when it is missing; do nothing
# when it is there. Called by `make test` before pytest.
set -euo pipefail

CHROMIUM="${NEWSINT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available;" \
         "the browser tests will be skipped" >&2
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "ensure_chromium: $CHROMIUM is missing; install it with" \
             "'apt-get install chromium' as root (the browser tests will be skipped)" >&2
        exit 0
    fi
else
    SUDO=""
fi
echo "ensure_chromium: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run instead of failing on its lock.
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core >/dev/null
