#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when one is missing.
# Usage: scripts/install-system-packages.sh [runtime|test|loadtest]
set -euo pipefail

packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b   # WeasyPrint
  fonts-dejavu-core fonts-liberation               # fonts for PDF output
  libmagic1                                        # content sniffing fallback
  gettext                                          # compilemessages
  postgresql                                       # production database, CI
  poppler-utils                                    # evidence pre-check: pdftotext, pdftoppm (page images)
  tesseract-ocr tesseract-ocr-ind                  # evidence pre-check: OCR of scanned documents
)
if [ "${1:-runtime}" = "test" ]; then
  packages+=(chromium)                             # browser journeys
fi
if [ "${1:-runtime}" = "loadtest" ]; then
  packages+=(wrk)                                  # HTTP load generator of make loadtest
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
