#!/usr/bin/env bash
# `make bench`, second part: the stages after etl, each against its peer where it has one.
#  - K-Means on 1M customers x 3 features (k=2, n_init=10): salespipe's kmeans_bench against
#    scikit-learn's KMeans on the same data in the same run (bench/kmeans_sklearn.py).
#  - segment and analyze on a generated warehouse (salespipe etl first), wall time and peak RSS.
# Writes bench/RESULTS-stages.md from what it measured.
# Usage: bash bench/stages.sh SALESPIPE_BINARY   (env: STAGE_ROWS=1000000, RUNS=3)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build_dir=$(cd "$(dirname "$binary")/../.." && pwd)
rows=${STAGE_ROWS:-1000000}
runs=${RUNS:-3}
work=${BENCH_WORK:-$here/work}/stages-$rows
out=${BENCH_STAGES_RESULTS:-$here/RESULTS-stages.md}
mkdir -p "$work"

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
timed() {  # timed LABEL CMD... -> appends "label wall rss" to $work/times.tsv
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
  echo "$label $(cat "$work/time.txt")" >>"$work/times.tsv"
}

: >"$work/times.tsv"
if [ ! -f "$work/in/sale_price.csv" ]; then
  "$binary" generate --rows "$rows" --seed 7 --out "$work/in" --quiet
fi
"$binary" etl --sales "$work/in/sale_price.csv" --feedback "$work/in/customer_feedback.json" \
  --out "$work/out" --quiet
for run in $(seq "$runs"); do
  timed segment "$binary" segment --out "$work/out" --quiet
  timed analyze "$binary" analyze --out "$work/out" --quiet
done

kmeans_line="not measured: build the kmeans_bench target (cmake --preset bench)"
if [ -x "$build_dir/bench/kmeans_bench" ]; then
  kmeans_line=$(/usr/bin/python3 "$here/kmeans_sklearn.py" --repeat "$runs" \
    --salespipe-bench "$build_dir/bench/kmeans_bench" 2>&1)
fi

{
  echo "# Stage benchmarks (bench/stages.sh)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg). Medians of $runs runs."
  echo
  echo "## segment and analyze on a generated warehouse ($rows sales rows)"
  echo
  echo "| stage | median wall (s) | peak RSS (MB) |"
  echo "|---|---|---|"
  for stage in segment analyze; do
    wall=$(awk -v s=$stage '$1 == s {print $2}' "$work/times.tsv" | median)
    rss=$(awk -v s=$stage '$1 == s {print $3}' "$work/times.tsv" | median)
    echo "| $stage | $wall | $((${rss%.*} / 1024)) |"
  done
  echo
  echo "Both include reading the warehouse files back (processed_sales_data.csv, and for analyze"
  echo "warehouse.sqlite's reviews and the manifest) and writing their outputs."
  echo
  echo "## K-Means, 1M customers x 3 features, k=2, n_init=10 (same data, same run)"
  echo
  echo '```'
  echo "$kmeans_line"
  echo '```'
} >"$out"
echo "wrote $out"
