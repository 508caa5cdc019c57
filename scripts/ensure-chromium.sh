#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright. Install it from Debian's packages if missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Installing Debian's chromium package for the browser tests ..."
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ERROR: /usr/bin/chromium is missing; install the 'chromium' package as root." >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium >/dev/null
[ -x /usr/bin/chromium ] || { echo "ERROR: chromium did not install." >&2; exit 1; }
