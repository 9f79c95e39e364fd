#!/usr/bin/env bash
# Installs the Debian 12 packages dondoc builds and tests with. Safe to run again: it does
# nothing when everything is already installed.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config git curl
  libboost-dev libsqlitecpp-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev
  libyaml-cpp-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev libcli11-dev
  libgtest-dev libgmock-dev libutf8proc-dev libxlsxwriter-dev
  libsodium-dev  # Argon2id password hashes
  libzip-dev libexpat1-dev  # reading registers kept in Excel (.xlsx): the archive, then its XML
  ca-certificates  # the authorities a mail server's or webhook receiver's certificate is checked against
  python3 python3-aiosmtpd  # the real SMTP server of the integration tests (/usr/bin/python3)
  python3-openpyxl  # reads the XLSX reports back in the tests, independently of libxlsxwriter
  python3-icalendar  # parses the deadline feeds in the tests, independently of dondoc
  openssl  # makes the self-signed certificate of the TLS mail tests
  clang libclang-rt-14-dev  # the libFuzzer harnesses, with ASan and UBSan (scripts/fuzz.sh)
  chromium fonts-noto-core  # the browser tests' browser, and a font with every Vietnamese glyph
  fonts-liberation  # Liberation Serif: Times New Roman's metrics, for the printed report
  poppler-utils  # pdftotext reads the printed report (Chromium's PDF) back in the tests
)
# Node.js and npm run the browser tests (tests/browser); a machine may have them from elsewhere.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
