#!/usr/bin/env bash
# Re-runs a reference script on the lab's seed and compares its output with the committed golden
# file. Usage: check_golden.sh SEED_DIR GOLDEN_FILE SCRIPT [ARGS...]
# Exit 77 (a ctest skip) when the seed is absent, except under CI=true where that is a failure.
set -euo pipefail
seed=$1 golden=$2 script=$3
shift 3
if [ ! -f "$seed/sale_price.csv" ] || [ ! -f "$seed/customer_feedback.json" ]; then
  echo "the lab's seed inputs are not in $seed (../shared/data/seed beside the repository)"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77
fi
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
/usr/bin/python3 "$script" "$seed/sale_price.csv" "$seed/customer_feedback.json" "$@" >"$actual"
if ! diff -u "$golden" "$actual"; then
  echo "the golden file $golden no longer matches $script: regenerate it (tools/regenerate_goldens.sh) and review the diff"
  exit 1
fi
echo "golden file matches $(basename "$script")"
