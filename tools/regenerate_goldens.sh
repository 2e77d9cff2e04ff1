#!/usr/bin/env bash
# Rewrites the golden files from the reference scripts on the lab's seed; review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=${SEED:-../shared/data/seed}
/usr/bin/python3 tools/etl_reference.py "$seed/sale_price.csv" "$seed/customer_feedback.json" \
  > tests/golden/seed/etl_counts.json
echo "rewrote tests/golden/seed/etl_counts.json"
/usr/bin/python3 tools/analysis_reference.py "$seed/sale_price.csv" "$seed/customer_feedback.json" \
  --period 2023Q1 --top 5 > tests/golden/seed/top_products.csv
/usr/bin/python3 tools/analysis_reference.py "$seed/sale_price.csv" "$seed/customer_feedback.json" \
  --period 2023-02-16..2023-03-31 --top 3 > tests/golden/seed/top_products_range.csv
echo "rewrote tests/golden/seed/top_products*.csv"
# The seed's segmentation golden needs a salespipe binary for the processed sales.
binary=${SALESPIPE:-build/release/src/cli/salespipe}
tools/check_seed_segments.sh "$binary" "$seed" tests/golden/seed/segments --write
/usr/bin/python3 tools/kmeans_reference.py generate
echo "rewrote tests/golden/segment/"
