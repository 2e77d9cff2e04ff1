#!/usr/bin/env bash
# Rewrites the golden files from the reference scripts on the lab's seed; review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${SEED:-../shared/data/seed}
/usr/bin/python3 tools/etl_reference.py "$seed/sale_price.csv" "$seed/customer_feedback.json" \
  > tests/golden/seed/etl_counts.json
echo "rewrote tests/golden/seed/etl_counts.json"
