#!/usr/bin/env bash
# Installs Debian's Chromium (/usr/bin/chromium) for the browser tests in tests/browser/, when it is missing and we
# may install. Best effort: without it those tests skip and say why. Playwright drives this Chromium; it never
# downloads a browser of its own.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: chromium not installed and cannot be installed here (needs root and apt-get); the browser tests will skip." >&2
  exit 0
fi
echo "installing chromium (apt-get)"
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
  || echo "note: could not install chromium; the browser tests will skip." >&2
exit 0
