#!/bin/sh
# Installs what the end-to-end browser test (tests/e2e/) needs, from Debian apt:
# chromium, chromium-driver and an Arabic font (fonts-noto-core: Noto Naskh Arabic,
# Noto Sans Arabic). Idempotent: does nothing when all three are present.
# Never fails: when apt is unavailable it prints a warning and exits 0 (the browser
# test then skips outside CI and fails in CI, where the browser is expected).
set -u

PACKAGES="chromium chromium-driver fonts-noto-core"

have_font() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic\|Noto Sans Arabic"
    else
        dpkg -s fonts-noto-core >/dev/null 2>&1
    fi
}

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && have_font; then
    exit 0
fi

warn() {
    echo "install-browser.sh: WARNING: $*" >&2
    echo "install-browser.sh: the browser test (tests/e2e) will skip (or fail when CI=true)." >&2
    exit 0
}

command -v apt-get >/dev/null 2>&1 || warn "apt-get not found; install $PACKAGES yourself"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    warn "not root and no password-less sudo; run: sudo apt-get install $PACKAGES"
fi

install() {
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $PACKAGES
}

echo "install-browser.sh: installing $PACKAGES"
if ! install; then
    echo "install-browser.sh: install failed; running apt-get update and trying again"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q || warn "apt-get update failed"
    install || warn "apt-get install $PACKAGES failed"
fi
