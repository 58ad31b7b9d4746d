#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing:
# Chromium (browser tests), poppler-utils (PDF checks), a CJK font (Chinese renders as boxes without one), PostgreSQL 15 binaries.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
# poppler-utils: pdftotext/pdftoppm read the 实施情况报告 PDF in its DB and browser tests.
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -x /usr/lib/postgresql/15/bin/initdb ] || [ -n "${DATABASE_URL:-}" ] || need+=(postgresql-15)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Missing Debian packages: ${need[*]} (install them as root)"; exit 1; }
  SUDO="sudo"
fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
