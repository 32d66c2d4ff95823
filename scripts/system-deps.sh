#!/usr/bin/env bash
# System packages the platform needs. `run`: pango for WeasyPrint, a CJK font
# (without it every Chinese PDF prints empty boxes) and poppler-utils (case-file
# pages are shown to reviewers as watermarked images made by pdftoppm). `test`:
# also Chromium for the browser journeys, and gettext for `make messages`.
# `venv`: python3.11-venv, which Debian's Python needs before `python3.11 -m venv`.
# As root they are installed; otherwise the exact command is printed.
set -euo pipefail
purpose=${1:-test}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils)
if [ "$purpose" = venv ]; then
  # Debian's python3.11 has no ensurepip until python3.11-venv is installed.
  packages=(python3.11-venv)
fi
if [ "$purpose" = test ]; then
  packages+=(chromium gettext)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing system packages: ${missing[*]}"
echo "Install them with:  sudo apt-get install -y ${missing[*]}"
if [ "$purpose" != run ]; then
  exit 1
fi
echo "(The site runs without them, but PDFs will not print Chinese until they are installed.)"
