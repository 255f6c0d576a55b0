#!/usr/bin/env bash
# Installs what the browser tests need when it is missing (make test and
# .ci/run call it): Debian's Chromium at /usr/bin/chromium, and a Japanese
# font (fonts-noto-cjk), without which Japanese pages are drawn with
# fallback boxes and the test that text fits its box measures nothing
# real. Needs root, or sudo.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=ja family 2>/dev/null)" ]; then
  missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ensure-chromium: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium: not root and no sudo: install them yourself (apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
/usr/bin/chromium --version 2>/dev/null | tail -n 1
