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

. "$(dirname "$0")/apt-install.sh"
apt_install install-browser.sh "the browser test (tests/e2e)" $PACKAGES
