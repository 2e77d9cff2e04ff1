#!/usr/bin/env bash
# `make run`: the whole pipeline on the bundled sample (examples/), into OUT (default out/).
# Usage: run-sample.sh SALESPIPE_BINARY OUT
set -euo pipefail
binary=$1
out=${2:-out}
cd "$(dirname "$0")/.."
"$binary" run --sales examples/sale_price.csv --feedback examples/customer_feedback.json --out "$out"
