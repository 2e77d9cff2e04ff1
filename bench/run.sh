#!/usr/bin/env bash
# `make bench`: times `salespipe etl` against a pandas script and DuckDB on the same generated
# inputs, in the same run, and writes bench/RESULTS.md from what it measured (DESIGN.md
# section 13). See bench/README.md for what each peer does and how to read the numbers.
#
# Usage: bash bench/run.sh [SALESPIPE_BINARY]
#   SALESPIPE_BINARY  a Release salespipe (default build/bench/src/cli/salespipe, built with the
#                     bench preset when it is missing)
# Environment:
#   BENCH_ROWS="1000000 10000000"  sizes, in sales rows (salespipe generate --rows N --seed 7)
#   RUNS=3                          timed runs of each tool at each size (the median is reported);
#                                   one number per size is accepted too: RUNS="3 1"
#   BENCH_PEERS="duckdb pandas"     peers to run (either may be left out)
#   BENCH_PROFILE="perf"            "perf" (sampled profile of the equal-work run at the largest
#                                   size), "callgrind" (instruction counts at BENCH_CALLGRIND_ROWS,
#                                   default 200000), both, or "none"
#   BENCH_MICRO=1                   also run the Google Benchmark binaries built beside the
#                                   binary (targets *_bench, -DSALESPIPE_BUILD_BENCH=ON)
#   BENCH_WORK=bench/work           inputs, outputs and raw measurements (gitignored)
#   BENCH_RESULTS=bench/RESULTS.md  the report
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
rows=${BENCH_ROWS-"1000000 10000000"}  # set but empty: reuse the last measurements
runs=${RUNS:-3}
peers=${BENCH_PEERS:-"duckdb pandas"}
profile=${BENCH_PROFILE:-perf}
micro=${BENCH_MICRO:-1}
callgrind_rows=${BENCH_CALLGRIND_ROWS:-200000}
work=${BENCH_WORK:-$here/work}
results=${BENCH_RESULTS:-$here/RESULTS.md}
python=/usr/bin/python3
seed=7

die() {
  echo "bench: $*" >&2
  exit 1
}
say() { echo "bench: $*" >&2; }

# The binary ----------------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  binary=$1
  [ -x "$binary" ] || die "$binary is not an executable salespipe"
else
  binary=$root/build/bench/src/cli/salespipe
  if [ ! -x "$binary" ]; then
    say "building $binary (cmake --preset bench)"
    (cd "$root" && cmake --preset bench >/dev/null && cmake --build build/bench --target salespipe)
    for name in csv_read json_read clean kmeans; do
      (cd "$root" && cmake --build build/bench --target "${name}_bench" >/dev/null 2>&1) ||
        say "micro benchmark ${name}_bench not built"
    done
  fi
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
build_dir=$(cd "$(dirname "$binary")/../.." && pwd)

# The tools -----------------------------------------------------------------------------------
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package time; bash scripts/install-deps.sh --extra)"
for peer in $peers; do
  case $peer in
    pandas)
      "$python" -c 'import pandas' 2>/dev/null || die "pandas is missing (Debian package python3-pandas)"
      ;;
    duckdb)
      command -v node >/dev/null || die "node is missing (Debian packages nodejs npm)"
      if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
        say "installing @duckdb/node-api into bench/node_modules"
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
      fi
      ;;
    *) die "unknown peer '$peer' in BENCH_PEERS (pandas, duckdb)" ;;
  esac
done

mkdir -p "$work"
raw="$work/measurements.tsv"
# An empty BENCH_ROWS keeps the measurements of the previous run and only profiles, runs the
# micro benchmarks and rewrites the report.
if [ -n "${rows// /}" ]; then
  printf 'rows\ttool\trun\twall_s\tuser_s\tsys_s\tmax_rss_kb\tload1\n' >"$raw"
  : >"$work/checks.tsv"
  : >"$work/floors.tsv"
  : >"$work/floors.tsv.sizes"
  rm -f "$work"/counts-*.json "$work"/stages-*.json
elif [ ! -s "$raw" ]; then
  die "BENCH_ROWS is empty and there are no earlier measurements in $work"
fi

# Runs one timed command in the current folder; appends a row to measurements.tsv.
# measure ROWS TOOL RUN OUT -- COMMAND...
measure() {
  local n=$1 tool=$2 run=$3 out=$4
  shift 5
  rm -rf "$out"
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    cat "$work/stderr.txt" >&2
    die "$tool failed at $n rows (run $run): $*"
  fi
  "$python" - "$work/time.txt" "$n" "$tool" "$run" "$load" >>"$raw" <<'EOF'
import sys
fields = {}
for line in open(sys.argv[1]):
    key, _, value = line.strip().rpartition(": ")
    fields[key] = value
wall = 0.0
for part in fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
    wall = wall * 60 + float(part)
print("\t".join([sys.argv[2], sys.argv[3], sys.argv[4], f"{wall:.2f}",
                 fields["User time (seconds)"], fields["System time (seconds)"],
                 fields["Maximum resident set size (kbytes)"], sys.argv[5]]))
EOF
  tail -n 1 "$raw" | awk -F'\t' '{ printf "bench:   %-15s run %s: %7.2f s wall, %7.2f s cpu, %6.0f MB peak, load %s\n", $2, $3, $4, $5 + $6, $7 / 1024, $8 }' >&2
}

# Compares a peer's outputs with salespipe's; appends to checks.tsv.
check_outputs() {
  local n=$1 tool=$2 dir=$3 reference=$4
  for file in processed_sales_data.csv rejects.csv; do
    local verdict
    if cmp -s "$reference/data_warehouse/$file" "$dir/data_warehouse/$file"; then
      verdict="identical"
    else
      verdict=$(cmp "$reference/data_warehouse/$file" "$dir/data_warehouse/$file" 2>&1 | head -n 1 |
        sed 's/^.*differ: //') || true
      verdict="differs: ${verdict:-unknown}"
    fi
    printf '%s\t%s\t%s\t%s\n' "$n" "$tool" "$file" "$verdict" >>"$work/checks.tsv"
  done
}

size_index=0
for n in $rows; do
  dir="$work/$n"
  mkdir -p "$dir"
  say "generating $n rows"
  "$binary" generate --rows "$n" --seed "$seed" --out "$dir" --quiet
  cd "$dir"
  sales=sale_price.csv
  feedback=customer_feedback.json
  # Warm the page cache so every tool reads the same cached files; the floor is what reading
  # both files costs then.
  cat "$sales" "$feedback" >/dev/null
  for _ in 1 2 3; do
    start=$(date +%s%N)
    cat "$sales" "$feedback" >/dev/null
    echo "$n $(( ($(date +%s%N) - start) / 1000000 ))" >>"$work/floors.tsv"
  done
  printf '%s\t%s\t%s\n' "$n" "$(stat -c %s "$sales")" "$(stat -c %s "$feedback")" >>"$work/floors.tsv.sizes"

  size_index=$((size_index + 1))
  runs_here=$(echo "$runs" | awk -v i="$size_index" '{ print (i <= NF) ? $i : $NF }')
  for run in $(seq 1 "$runs_here"); do
    say "$n rows, run $run of $runs_here"
    measure "$n" salespipe "$run" out-salespipe -- \
      "$binary" etl --sales "$sales" --feedback "$feedback" --out out-salespipe \
      --no-warehouse-db --no-fingerprints --quiet
    cp out-salespipe/data_warehouse/run_manifest.json "$work/stages-$n-$run.json"
    if [ "$run" = 1 ]; then
      cp out-salespipe/data_warehouse/run_manifest.json "$work/counts-$n-salespipe.json"
      rm -rf reference && mv out-salespipe reference
    fi
    measure "$n" salespipe-full "$run" out-full -- \
      "$binary" etl --sales "$sales" --feedback "$feedback" --out out-full --quiet
    for peer in $peers; do
      case $peer in
        duckdb) command=(node "$here/duckdb_etl.mjs") ;;
        pandas) command=("$python" "$here/pandas_etl.py") ;;
      esac
      measure "$n" "$peer" "$run" "out-$peer" -- \
        "${command[@]}" --sales "$sales" --feedback "$feedback" --out "out-$peer"
      if [ "$run" = 1 ]; then
        tail -n 1 "$work/stdout.txt" >"$work/counts-$n-$peer.json"
        check_outputs "$n" "$peer" "out-$peer" reference
      fi
      rm -rf "out-$peer"
    done
  done
  rm -rf out-salespipe out-full reference
  cd "$here"
done
largest=$(tail -n +2 "$raw" | cut -f1 | sort -n | tail -n 1)

# Where salespipe's time goes -----------------------------------------------------------------
# A kind of profile this run does not take is dropped, so the report never shows one taken of
# older code.
for kind in perf callgrind; do
  case " $profile " in
    *" $kind "*) ;;
    *) rm -f "$work/profile-$kind.txt" ;;
  esac
done
for kind in $profile; do
  case $kind in
    perf)
      if ! command -v perf >/dev/null; then
        echo "perf is not installed" >"$work/profile-perf.txt"
        continue
      fi
      say "profiling the equal-work run at $largest rows with perf"
      (
        cd "$work/$largest"
        rm -rf out-profile
        if perf record -F 499 -o "$work/perf.data" -- "$binary" etl --sales sale_price.csv \
          --feedback customer_feedback.json --out out-profile --no-warehouse-db \
          --no-fingerprints --quiet >/dev/null 2>"$work/perf.log"; then
          perf report -i "$work/perf.data" --stdio --no-children --sort dso,symbol \
            --percent-limit 0.7 >"$work/perf-report.txt" 2>/dev/null || true
          grep -v '^#' "$work/perf-report.txt" | grep '%' |
            sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//' | sed -n '1,30p' \
            >"$work/profile-perf.txt" || true
        else
          { echo "perf record failed:"; tail -n 3 "$work/perf.log"; } >"$work/profile-perf.txt"
        fi
        rm -rf out-profile
      )
      ;;
    callgrind)
      command -v valgrind >/dev/null || { echo "valgrind is not installed" >"$work/profile-callgrind.txt"; continue; }
      say "counting instructions with callgrind at $callgrind_rows rows"
      (
        mkdir -p "$work/callgrind" && cd "$work/callgrind"
        "$binary" generate --rows "$callgrind_rows" --seed "$seed" --out . --quiet
        rm -rf out callgrind.out
        valgrind --tool=callgrind --callgrind-out-file=callgrind.out "$binary" etl \
          --sales sale_price.csv --feedback customer_feedback.json --out out \
          --no-warehouse-db --no-fingerprints --quiet >/dev/null 2>callgrind.log
        callgrind_annotate --inclusive=no callgrind.out >annotate.txt 2>/dev/null || true
        # Function names without argument lists, object files without their folders.
        grep -E '^ *[0-9,]+ \(' annotate.txt |
          sed -E 's#[^ ]*/([^/ ]+:)#\1#; s#\?\?\?:##; s# \[[^]]*/([^/]+)\]$# [\1]#' |
          "$python" -c '
import sys
for line in sys.stdin:
    line = line.rstrip("\n")
    head, _, obj = line.rpartition(" [")
    name = head if head else line
    # Drop argument lists: cut at the first "(" after the counts.
    counts, _, rest = name.partition(")  ")
    depth, out = 0, []
    for ch in rest:
        if ch == "(":
            depth += 1
            if depth == 1:
                out.append("()")
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    print(counts + ")  " + "".join(out) + (" [" + obj if head else ""))
' | sed -n '1,25p' >"$work/profile-callgrind.txt" || true
        rm -rf out
      )
      ;;
    none | "") ;;
    *) die "unknown BENCH_PROFILE '$kind' (perf, callgrind, none)" ;;
  esac
done

# Micro benchmarks built beside the binary -----------------------------------------------------
if [ "$micro" = 1 ]; then
  for name in csv_read json_read clean kmeans; do
    exe="$build_dir/bench/${name}_bench"
    [ -x "$exe" ] || continue
    say "micro benchmark ${name}_bench"
    (cd "$root" && "$exe" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
      >"$work/micro-$name.raw" 2>&1) || echo "(${name}_bench failed)" >>"$work/micro-$name.raw"
    grep -E '_median|^Run on|^Load Average|failed|rror' "$work/micro-$name.raw" \
      >"$work/micro-$name.txt" || true
  done
fi

# The report ----------------------------------------------------------------------------------
duckdb_version=$(cd "$here" && [ -d node_modules/@duckdb/node-api ] &&
  node --input-type=module -e "
import { DuckDBInstance } from '@duckdb/node-api';
const db = await (await DuckDBInstance.create(':memory:')).connect();
const r = await db.runAndReadAll('SELECT version()');
console.log(r.getRows()[0][0]);" 2>/dev/null || echo "not run")
pandas_version=$("$python" -c 'import pandas, numpy, sys; print(f"pandas {pandas.__version__}, numpy {numpy.__version__}, Python {sys.version.split()[0]}")' 2>/dev/null || echo "not run")

say "writing $results"
BENCH_BINARY=$binary BENCH_RUNS=$runs BENCH_SIZES=$rows BENCH_PEER_LIST=$peers \
  DUCKDB_VERSION=$duckdb_version PANDAS_VERSION=$pandas_version NODE_VERSION=$(node --version 2>/dev/null || echo none) \
  CXX_VERSION=$(c++ --version 2>/dev/null | head -n 1) SALESPIPE_VERSION=$("$binary" --version) \
  BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true) \
  CALLGRIND_ROWS=$callgrind_rows \
  "$python" - "$work" "$results" <<'EOF'
import collections, datetime, json, os, platform, statistics, sys

work, results = sys.argv[1], sys.argv[2]
env = os.environ
rows = collections.defaultdict(list)
with open(os.path.join(work, "measurements.tsv")) as f:
    next(f)
    for line in f:
        n, tool, run, wall, user, sys_, rss, load = line.rstrip("\n").split("\t")
        rows[(int(n), tool)].append({"run": int(run), "wall": float(wall),
                                     "cpu": float(user) + float(sys_), "rss": int(rss) / 1024,
                                     "load": load})
sizes = sorted({n for n, _ in rows})
tools = ["salespipe", "salespipe-full"] + [p for p in env["BENCH_PEER_LIST"].split()
                                           if p in ("duckdb", "pandas")]
label = {"salespipe": "salespipe etl (equal work)", "salespipe-full": "salespipe etl (full default run)",
         "duckdb": "DuckDB (Node, SQL)", "pandas": "pandas (vectorised)"}

def med(n, tool, key):
    values = [r[key] for r in rows.get((n, tool), [])]
    return statistics.median(values) if values else None

def fmt_s(v):
    return "—" if v is None else (f"{v:.2f} s" if v < 100 else f"{v:.0f} s")

def fmt_mb(v):
    return "—" if v is None else f"{v:,.0f} MB"

mem_kb = 0
with open("/proc/meminfo") as f:
    for line in f:
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
cpu = "unknown"
with open("/proc/cpuinfo") as f:
    for line in f:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break

out = []
w = out.append
w("# salespipe benchmark results")
w("")
w("Written by `bench/run.sh` (`make bench`) from its own measurements; do not edit by hand.")
w("What each tool does and how to read the numbers: [bench/README.md](README.md).")
w("")
w(f"- Report written: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
w(f"- Machine: {os.cpu_count()} CPUs ({cpu}), {mem_kb / 1024 / 1024:.1f} GiB memory, "
  f"Linux {platform.release()}")
w(f"- salespipe {env['SALESPIPE_VERSION']} ({env['CXX_VERSION']}), "
  f"CMAKE_BUILD_TYPE={env.get('BUILD_TYPE') or 'unknown'}")
w(f"- Peers: {env['PANDAS_VERSION']}; DuckDB {env['DUCKDB_VERSION']} through @duckdb/node-api "
  f"on Node {env['NODE_VERSION']}")
runs_per_size = ", ".join(f"{len(rows[(n, 'salespipe')])} at {n:,} rows"
                          for n in sorted({n for n, _ in rows}))
w(f"- Inputs: `salespipe generate --rows N --seed 7` (no injected hard faults), files in the "
  f"page cache. Runs of each tool, interleaved: {runs_per_size}; medians below")
w("- The machine is shared: the 1-minute load average before each run is in the last table. "
  "Wall time on a loaded 2-core machine is noisy; CPU time (user + sys) is less so.")
w("")

floors = collections.defaultdict(list)
if os.path.exists(os.path.join(work, "floors.tsv")):
    for line in open(os.path.join(work, "floors.tsv")):
        n, ms = line.split()
        floors[int(n)].append(int(ms) / 1000)
sizes_bytes = {}
if os.path.exists(os.path.join(work, "floors.tsv.sizes")):
    for line in open(os.path.join(work, "floors.tsv.sizes")):
        n, s, f = line.split()
        sizes_bytes[int(n)] = (int(s), int(f))

for n in sizes:
    w(f"## {n:,} sales rows")
    w("")
    if n in sizes_bytes:
        s, f = sizes_bytes[n]
        floor = statistics.median(floors[n]) if floors[n] else None
        w(f"Inputs: {s / 1e6:,.0f} MB of CSV and {f / 1e6:,.0f} MB of JSON; reading both from the "
          f"page cache (`cat > /dev/null`) takes {fmt_s(floor)}.")
        w("")
    w("| tool | median wall | median CPU (user+sys) | median peak RSS | wall vs salespipe | CPU vs salespipe |")
    w("|---|---:|---:|---:|---:|---:|")
    base_wall, base_cpu = med(n, "salespipe", "wall"), med(n, "salespipe", "cpu")
    for tool in tools:
        if (n, tool) not in rows:
            continue
        wall, cpu_s, rss = med(n, tool, "wall"), med(n, tool, "cpu"), med(n, tool, "rss")
        ratio = f"{wall / base_wall:.1f}x" if tool != "salespipe" and base_wall else "1.0x"
        cratio = f"{cpu_s / base_cpu:.1f}x" if tool != "salespipe" and base_cpu else "1.0x"
        w(f"| {label[tool]} | {fmt_s(wall)} | {fmt_s(cpu_s)} | {fmt_mb(rss)} | {ratio} | {cratio} |")
    w("")
    # Equal work: counts and byte comparison.
    counts = {}
    for tool in ["salespipe"] + [t for t in tools if t in ("duckdb", "pandas")]:
        path = os.path.join(work, f"counts-{n}-{tool}.json")
        if os.path.exists(path):
            data = json.load(open(path))
            counts[tool] = data["counts"] if "counts" in data else data
    if counts:
        w("Equal work (first run of each tool):")
        w("")
        w("| tool | sales read | loaded | rejected | exact duplicates | without review | reviews read | reviews rejected | latest | superseded |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for tool, c in counts.items():
            s, r = c["sales"], c["reviews"]
            w(f"| {tool} | {s['read']:,} | {s['loaded']:,} | {s['rejected']:,} | "
              f"{s['exact_duplicates']:,} | {s['without_review']:,} | {r['read']:,} | "
              f"{r['rejected']:,} | {r['latest']:,} | {r['superseded']:,} |")
        w("")
        checks = [line.rstrip("\n").split("\t") for line in open(os.path.join(work, "checks.tsv"))]
        for cn, tool, file, verdict in checks:
            if int(cn) == n:
                w(f"- {tool} `{file}` vs salespipe's: {verdict}")
        w("")
    stages = collections.defaultdict(list)
    for run in range(1, 100):
        path = os.path.join(work, f"stages-{n}-{run}.json")
        if not os.path.exists(path):
            break
        for stage, seconds in json.load(open(path)).get("timings_seconds", {}).items():
            stages[stage].append(seconds)
    if stages:
        w("salespipe's own stage timings (equal-work runs, median, from run_manifest.json): " +
          ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in stages.items()) + ".")
        w("")

if sizes:
    big = sizes[-1]
    w(f"## Targets at {big:,} rows")
    w("")
    base = med(big, "salespipe", "wall")
    def target(tool, factor):
        peer = med(big, tool, "wall")
        if peer is None or base is None:
            return f"- {factor}x faster than {tool}: not measured"
        got = peer / base
        return (f"- at least {factor}x faster than {tool}: {got:.1f}x "
                f"({'met' if got >= factor else 'not met'})")
    w(target("pandas", 30))
    w(target("duckdb", 3))
    rss = max((r["rss"] for r in rows.get((big, "salespipe"), [])), default=None)
    if rss is not None:
        w(f"- peak memory under 1.5 GB (equal-work run, worst of the runs): {rss:,.0f} MB "
          f"({'met' if rss < 1536 else 'not met'})")
    if big < 10_000_000:
        w(f"- (the targets are stated at 10,000,000 rows; this run's largest size is {big:,})")
    w("")

for kind, title in (("perf", "perf (sampled, equal-work run at the largest size)"),
                    ("callgrind", f"callgrind (instructions, {int(env['CALLGRIND_ROWS']):,} rows)")):
    path = os.path.join(work, f"profile-{kind}.txt")
    if os.path.exists(path) and os.path.getsize(path):
        w(f"## Where salespipe's time goes: {title}")
        w("")
        w("```")
        out.extend(line.rstrip("\n") for line in open(path))
        w("```")
        w("")

micro = sorted(p for p in os.listdir(work) if p.startswith("micro-") and p.endswith(".txt"))
if micro:
    w("## Micro benchmarks (Google Benchmark, median of 3 repetitions)")
    w("")
    for p in micro:
        w(f"`{p[len('micro-'):-len('.txt')]}_bench`:")
        w("")
        w("```")
        out.extend(line.rstrip("\n") for line in open(os.path.join(work, p)))
        w("```")
        w("")

w("## Every run")
w("")
w("| rows | tool | run | wall | CPU | peak RSS | load average before |")
w("|---:|---|---:|---:|---:|---:|---:|")
for (n, tool), rs in sorted(rows.items(), key=lambda kv: (kv[0][0], tools.index(kv[0][1]))):
    for r in rs:
        w(f"| {n:,} | {tool} | {r['run']} | {fmt_s(r['wall'])} | {fmt_s(r['cpu'])} | "
          f"{fmt_mb(r['rss'])} | {r['load']} |")
w("")
with open(results, "w") as f:
    f.write("\n".join(out))
EOF
say "done: $results"
