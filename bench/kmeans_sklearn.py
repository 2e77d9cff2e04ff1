#!/usr/bin/python3
"""Times scikit-learn's KMeans on the data bench/kmeans_bench.cpp clusters, and optionally that
benchmark too, so both are measured in one run on the same machine.

The customers come from generated_features in tools/kmeans_reference.py (an integer-only
generator the C++ benchmark implements identically): 1,000,000 customers, three features
(total purchase amount, purchase frequency, average transaction value), MinMax-scaled, then
KMeans(n_clusters=2, n_init=10, algorithm="lloyd", random_state=42).fit. scikit-learn runs with
its default threads (all cores), as a user would run it; only the fit is timed.

  bench/kmeans_sklearn.py [--customers N] [--repeat R] [--salespipe-bench PATH]

With --salespipe-bench, runs that Google Benchmark binary's BM_KMeans benchmark (same data) and
prints the ratio of the medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))

import kmeans_reference as reference  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.preprocessing import MinMaxScaler  # noqa: E402

BENCH_SEED = 20240601


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--salespipe-bench", help="path of the kmeans_bench binary")
    args = parser.parse_args()

    features = reference.generated_features(BENCH_SEED, args.customers)
    X = MinMaxScaler().fit_transform(features.matrix(False))
    times, cpu_times = [], []
    for _ in range(args.repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        km = KMeans(n_clusters=2, n_init=10, algorithm="lloyd", random_state=42).fit(X)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    result = {
        "customers": args.customers,
        "load_average": os.getloadavg()[0],
        "sklearn_seconds": times,
        "sklearn_median_seconds": statistics.median(times),
        # CPU time of all threads: less sensitive than wall time to other work on the machine.
        "sklearn_median_cpu_seconds": statistics.median(cpu_times),
        "sklearn_inertia": float(km.inertia_),
        "sklearn_n_iter": int(km.n_iter_),
        "sklearn_cluster_sizes": np.bincount(km.labels_).tolist(),
    }
    if args.salespipe_bench:
        output = subprocess.run(
            [args.salespipe_bench, "--benchmark_filter=BM_KMeans/",
             f"--benchmark_repetitions={args.repeat}", "--benchmark_format=json"],
            check=True, capture_output=True, text=True, env=dict(os.environ,
            SALESPIPE_BENCH_CUSTOMERS=str(args.customers))).stdout
        runs = [b for b in json.loads(output)["benchmarks"] if b.get("run_type") == "iteration"]
        by_name = {}
        for b in runs:
            # "BM_KMeans/threads:2/process_time/real_time" -> "BM_KMeans/threads:2"; times in
            # milliseconds; cpu_time counts every thread of the process.
            name = b["name"].split("/process_time")[0].removesuffix("/real_time")
            by_name.setdefault(name, []).append((b["real_time"] / 1000.0, b["cpu_time"] / 1000.0))
        for name, pairs in sorted(by_name.items()):
            wall = statistics.median(p[0] for p in pairs)
            cpu = statistics.median(p[1] for p in pairs)
            result[f"salespipe {name} median_seconds"] = wall
            result[f"salespipe {name} median_cpu_seconds"] = cpu
            result[f"speedup {name}"] = result["sklearn_median_seconds"] / wall
            result[f"cpu_ratio {name}"] = result["sklearn_median_cpu_seconds"] / cpu
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
