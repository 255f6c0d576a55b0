#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when /usr/bin/chromium is
# missing (make test and .ci/run call it). Needs root, or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "ensure-chromium: /usr/bin/chromium is missing; installing Debian's chromium"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium: not root and no sudo: install chromium yourself (apt-get install chromium)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version 2>/dev/null | tail -n 1
