#!/bin/sh
# The widget tests drive Debian's Chromium at /usr/bin/chromium; install it once if it is missing.
# Never download a browser from anywhere else.
set -e
[ -x /usr/bin/chromium ] && exit 0
echo "Installing Debian's chromium (needed by the browser tests)…"
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
