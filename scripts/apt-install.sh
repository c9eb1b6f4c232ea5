#!/bin/sh
# Shared by the install-*.sh scripts (sourced, not run): apt_install NAME WHAT PACKAGES...
# installs Debian packages with apt-get (as root, or with password-less sudo), running
# `apt-get update` only when the first attempt fails. Never fails the caller: on any
# problem it prints a warning naming NAME and WHAT (the tests that will skip) and exits 0.

apt_warn() {
    echo "$APT_NAME: WARNING: $*" >&2
    echo "$APT_NAME: $APT_WHAT will skip (or fail when CI=true)." >&2
    exit 0
}

apt_install() {
    APT_NAME="$1"
    APT_WHAT="$2"
    shift 2
    packages="$*"
    command -v apt-get >/dev/null 2>&1 || apt_warn "apt-get not found; install $packages yourself"
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        apt_warn "not root and no password-less sudo; run: sudo apt-get install $packages"
    fi
    echo "$APT_NAME: installing $packages"
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages; then
        echo "$APT_NAME: install failed; running apt-get update and trying again"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q || apt_warn "apt-get update failed"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages \
            || apt_warn "apt-get install $packages failed"
    fi
}
