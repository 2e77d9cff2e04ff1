#!/usr/bin/env bash
# Installs every Debian package salespipe needs to build, test, benchmark and run.
# Idempotent: packages already present are skipped, so a warm machine pays only a dpkg query.
set -euo pipefail

packages=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config make git clang-format
  # libraries (DESIGN.md section 8)
  libsimdjson-dev libcli11-dev libfmt-dev libtomlplusplus-dev libsqlite3-dev sqlite3
  libxlsxwriter-dev libcairo2-dev fonts-dejavu-core libpqxx-dev postgresql
  libcurl4-openssl-dev libcpp-httplib-dev libxxhash-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # reference scripts re-checked in CI (pandas, scikit-learn)
  python3 python3-pandas python3-sklearn
  # output checks: unzip for XLSX read-back; the workbook opened by LibreOffice and its PDF read
  # back; the HTML report in headless Chromium (DESIGN 12)
  unzip libreoffice-calc-nogui poppler-utils chromium nodejs
)

if [ "${1:-}" = "--extra" ]; then
  # Only for `make bench` and visual checks, not for `make test`.
  packages+=(time hyperfine valgrind clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm comes with some builds of nodejs; Debian's own npm package only where it does not.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# playwright-core drives Debian's chromium in the browser check (never its own browser download).
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tools/browser/package.json" ] && [ ! -d "$here/tools/browser/node_modules/playwright-core" ]; then
  echo "install-deps: npm install in tools/browser"
  npm ci --prefix "$here/tools/browser" --no-audit --no-fund --silent
fi
