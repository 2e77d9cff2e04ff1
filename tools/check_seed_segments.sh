#!/usr/bin/env bash
# Re-checks the seed's segmentation golden (tests/golden/seed/segments/) against scikit-learn:
# runs salespipe etl on the lab's seed, then tools/kmeans_reference.py on the processed sales
# (customers in customer_id order, as the lab's pandas groupby), and compares with the golden.
# Usage: check_seed_segments.sh SALESPIPE_BINARY SEED_DIR GOLDEN_DIR [--write]
# Exit 77 (a ctest skip) when the seed is absent, except under CI=true.
set -euo pipefail
binary=$1 seed=$2 golden=$3 mode=${4:-}
if [ ! -f "$seed/sale_price.csv" ]; then
  echo "the lab's seed inputs are not in $seed"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" etl --sales "$seed/sale_price.csv" --feedback "$seed/customer_feedback.json" \
  --out "$work/out" --quiet
/usr/bin/python3 "$(dirname "$0")/kmeans_reference.py" run \
  --sales "$work/out/data_warehouse/processed_sales_data.csv" --order sorted --out "$work/ref" >/dev/null
if [ "$mode" = "--write" ]; then
  mkdir -p "$golden"
  cp "$work/ref/expected.txt" "$work/ref/labels.txt" "$golden/"
  echo "rewrote $golden"
  exit 0
fi
diff -u "$golden/expected.txt" "$work/ref/expected.txt"
diff -u "$golden/labels.txt" "$work/ref/labels.txt"
echo "seed segmentation golden matches scikit-learn"
