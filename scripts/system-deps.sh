#!/usr/bin/env bash
# Debian packages govproj needs. Installs only what is missing.
#   scripts/system-deps.sh         run time (the production image): a CJK font so WeasyPrint
#                                  renders Chinese, harfbuzz-subset so it embeds fonts fast, pango,
#                                  gettext for translations, postgresql-client for
#                                  `manage.py backup` / `restore` (pg_dump, pg_restore)
#   scripts/system-deps.sh --dev   also Chromium for the browser journeys (Playwright drives
#                                  /usr/bin/chromium: no browser downloads) and wrk for
#                                  `make bench`; `make install` uses it
set -euo pipefail
packages=(fonts-wqy-microhei libharfbuzz-subset0 gettext libpango-1.0-0 libpangoft2-1.0-0 postgresql-client)
for argument in "$@"; do
  case "$argument" in
    --dev) packages+=(chromium wrk) ;;
    *) echo "usage: $0 [--dev]" >&2; exit 2 ;;
  esac
done
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || $SUDO apt-get update
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
