#!/usr/bin/python3
"""Reference K-Means segmentation with Debian's scikit-learn 1.2.1, for salespipe's segment stage.

salespipe reproduces KMeans(n_clusters=k, n_init=10, algorithm="lloyd", random_state=seed) on
MinMax-scaled customer features bit for bit; this script produces what it is checked against.
scikit-learn runs on one OpenMP thread here: with more threads its own sums (and so the last
bits of its centres and inertia) depend on the thread count.

Commands:
  run       cluster one input and write expected.txt and labels.txt (or print a summary)
              --features CSV   customer_id,total_purchase_amount,purchase_frequency[,recency_days]
              --sales CSV      sales rows with customer_id,total_revenue,sale_date (for example
                               the warehouse's processed_sales_data.csv): features are the exact
                               decimal sum of total_revenue, the number of sales, their ratio
                               and the days from the customer's last sale to the latest sale
              --order first-seen|sorted   customer order for --sales: first appearance in the
                               file (salespipe's customer codes) or sorted ids (the pandas
                               groupby of the original lab); the order changes K-Means' draws
  generate  write the golden cases to tests/golden/segment/<case>/
  check     regenerate the golden cases in a temporary folder and compare them byte for byte
  literals  print the numpy values the C++ unit tests paste as literals
  bigcase   print expected results for the generated case (customers made by generated_features)

Exit status: 0 ok, 1 mismatch or error, 77 when numpy or scikit-learn is missing (ctest skip).
"""

import argparse
import csv
import datetime
import decimal
import filecmp
import os
import sys
import tempfile

try:
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans
    from sklearn.cluster._kmeans import _kmeans_plusplus, _kmeans_single_lloyd, _tolerance
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import MinMaxScaler
    from sklearn.utils.extmath import row_norms
    from threadpoolctl import threadpool_limits
except ImportError as error:  # pragma: no cover - depends on the machine
    print(f"kmeans_reference: {error}; install python3-sklearn", file=sys.stderr)
    sys.exit(77)

MONEY_SCALE = 10000
GOLDEN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden",
                          "segment")


# ---------------------------------------------------------------------------------------------
# Features


class Features:
    """Per-customer features, as salespipe's CustomerFeatures holds them."""

    def __init__(self, ids, total_units, frequency, recency):
        self.ids = list(ids)
        self.total_units = [int(v) for v in total_units]
        self.frequency = [int(v) for v in frequency]
        self.recency = [int(v) for v in recency]

    def matrix(self, use_recency):
        # Money to double as salespipe's to_double: units / 10000, correctly rounded (Python's
        # int / int is), then the average as a double division.
        rows = []
        for units, freq, rec in zip(self.total_units, self.frequency, self.recency):
            total = units / MONEY_SCALE
            row = [total, float(freq), total / float(freq)]
            if use_recency:
                row.append(float(rec))
            rows.append(row)
        return np.array(rows, dtype=np.float64)


def money_units(text):
    value = decimal.Decimal(text.strip())
    units = value * MONEY_SCALE
    if units != units.to_integral_value():
        raise ValueError(f"{text!r} has more than 4 decimals")
    return int(units)


def format_units(units):
    sign = "-" if units < 0 else ""
    units = abs(units)
    return f"{sign}{units // MONEY_SCALE}.{units % MONEY_SCALE:04d}"


def read_features(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        ids, totals, freqs, recs = [], [], [], []
        for row in reader:
            ids.append(row["customer_id"])
            totals.append(money_units(row["total_purchase_amount"]))
            freqs.append(int(row["purchase_frequency"]))
            recs.append(int(row.get("recency_days") or 0))
    return Features(ids, totals, freqs, recs)


def write_features(path, features):
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write("customer_id,total_purchase_amount,purchase_frequency,recency_days\n")
        for cid, units, freq, rec in zip(features.ids, features.total_units, features.frequency,
                                         features.recency):
            f.write(f"{cid},{format_units(units)},{freq},{rec}\n")


def features_from_sales(path, order):
    totals, counts, last, first_seen = {}, {}, {}, []
    latest = None
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        for row in reader:
            cid = row["customer_id"].strip()
            units = money_units(row["total_revenue"])
            date = datetime.date.fromisoformat(row["sale_date"].strip()[:10])
            if cid not in totals:
                first_seen.append(cid)
                totals[cid], counts[cid], last[cid] = 0, 0, date
            totals[cid] += units
            counts[cid] += 1
            last[cid] = max(last[cid], date)
            latest = date if latest is None else max(latest, date)
    ids = sorted(first_seen) if order == "sorted" else first_seen
    return Features(ids, [totals[c] for c in ids], [counts[c] for c in ids],
                    [(latest - last[c]).days for c in ids])


# ---------------------------------------------------------------------------------------------
# Clustering


def cluster(features, k, seed, n_init, use_recency, silhouette_sample_size):
    # One thread for OpenMP and BLAS (see the docstring): scikit-learn then sums in row order.
    with threadpool_limits(limits=1):
        return cluster_one_thread(features, k, seed, n_init, use_recency,
                                  silhouette_sample_size)


def cluster_one_thread(features, k, seed, n_init, use_recency, silhouette_sample_size):
    raw = features.matrix(use_recency)
    X = MinMaxScaler().fit_transform(raw)
    km = KMeans(n_clusters=k, n_init=n_init, algorithm="lloyd", random_state=seed).fit(X)

    # The same runs one by one through scikit-learn's own private steps, for the per-run
    # initial centres, inertias and iteration counts (as KMeans.fit performs them).
    Xc = X - X.mean(axis=0)
    norms = row_norms(Xc, squared=True)
    tolerance = _tolerance(X, 1e-4)
    rng = np.random.RandomState(seed)
    weights = np.ones(X.shape[0], dtype=X.dtype)
    runs = []
    for _ in range(n_init):
        centres, indices = _kmeans_plusplus(Xc, k, norms, rng)
        labels, inertia, _, n_iter = _kmeans_single_lloyd(Xc, weights, centres, max_iter=300,
                                                          tol=tolerance, n_threads=1)
        runs.append((indices.tolist(), inertia, n_iter, labels))
    best = None
    for r, (_, inertia, _, labels) in enumerate(runs):
        if best is None or (inertia < runs[best][1] and not same_clustering(labels,
                                                                              runs[best][3], k)):
            best = r
    if not (np.array_equal(runs[best][3], km.labels_) and runs[best][1] == km.inertia_):
        raise RuntimeError("replayed runs disagree with KMeans.fit")

    n = X.shape[0]
    labels = km.labels_
    silhouette = None
    if len(set(labels.tolist())) >= 2 and len(set(labels.tolist())) < n:
        if n > silhouette_sample_size:
            sample = np.random.RandomState(seed).permutation(n)[:silhouette_sample_size]
            if 2 <= len(set(labels[sample].tolist())) < silhouette_sample_size:
                silhouette = silhouette_score(X, labels, sample_size=silhouette_sample_size,
                                              random_state=seed)
        else:
            silhouette = silhouette_score(X, labels)
    return {
        "X": X, "km": km, "runs": runs, "best": best, "tolerance": tolerance,
        "silhouette": silhouette,
    }


def same_clustering(labels, reference, k):
    mapping = [-1] * k
    for a, b in zip(labels.tolist(), reference.tolist()):
        if mapping[a] == -1:
            mapping[a] = b
        elif mapping[a] != b:
            return False
    return True


def write_expected(folder, name, features, params, result):
    km = result["km"]
    k = params["k"]
    lines = [
        "# scikit-learn %s KMeans(n_clusters=k, n_init, algorithm=\"lloyd\", random_state=seed)"
        % sklearn.__version__,
        "# on MinMaxScaler().fit_transform(features); written by tools/kmeans_reference.py",
        f"case {name}",
        f"customers {len(features.ids)}",
        f"k {k}",
        f"n_init {params['n_init']}",
        f"seed {params['seed']}",
        f"use_recency {1 if params['use_recency'] else 0}",
        f"silhouette_sample_size {params['silhouette_sample_size']}",
        f"tolerance {float(result['tolerance'])!r}",
        f"inertia {float(km.inertia_)!r}",
        f"n_iter {int(km.n_iter_)}",
        f"best_run {result['best']}",
    ]
    for j, centre in enumerate(km.cluster_centers_):
        lines.append(f"center {j} " + " ".join(repr(float(v)) for v in centre))
    sizes = np.bincount(km.labels_, minlength=k)
    for j in range(k):
        lines.append(f"size {j} {int(sizes[j])}")
    for r, (indices, inertia, n_iter, _) in enumerate(result["runs"]):
        lines.append(f"run {r} inertia {float(inertia)!r} n_iter {int(n_iter)} init " +
                     " ".join(str(i) for i in indices))
    silhouette = result["silhouette"]
    lines.append("silhouette " + ("none" if silhouette is None else repr(float(silhouette))))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "expected.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if k > 10:
        raise ValueError("labels.txt holds one digit per customer: k must be at most 10")
    with open(os.path.join(folder, "labels.txt"), "w", encoding="utf-8") as f:
        f.write("".join(str(int(v)) for v in km.labels_) + "\n")


# ---------------------------------------------------------------------------------------------
# Golden cases (numpy-seeded, so they regenerate identically)


def units_from_currency(values):
    return [int(v) for v in np.round(np.asarray(values) * 100).astype(np.int64) * 100]


def case_separated(rs, n):
    """Two well separated groups: about 10% big spenders."""
    vip = rs.random_sample(n) < 0.1
    freq = np.where(vip, rs.randint(12, 25, n), rs.randint(1, 6, n))
    avg = np.where(vip, rs.uniform(300, 500, n), rs.uniform(20, 80, n))
    return freq, avg


def case_lab_like(rs, n):
    """Skewed, continuous spending like a real shop: no clear gap between groups."""
    freq = 1 + rs.geometric(0.25, n)
    avg = np.exp(rs.normal(4.0, 0.7, n))
    return freq, avg


def case_overlapping(rs, n, centres, spread):
    group = rs.randint(0, len(centres), n)
    freq = np.maximum(1, np.round(rs.normal([centres[g][0] for g in group],
                                            spread[0]))).astype(np.int64)
    avg = np.maximum(1.0, rs.normal([centres[g][1] for g in group], spread[1]))
    return freq, avg


GOLDEN_CASES = [
    # name, numpy seed, customers, k, use_recency, silhouette sample size, generator
    ("separated_k2_1k", 11, 1000, 2, False, 20000,
     lambda rs, n: case_separated(rs, n)),
    ("lab_like_k2_5k", 12, 5000, 2, False, 20000,
     lambda rs, n: case_lab_like(rs, n)),
    ("overlapping_k3_8k", 13, 8000, 3, False, 20000,
     lambda rs, n: case_overlapping(rs, n, [(3, 40), (6, 70), (10, 90)], (2.0, 20.0))),
    ("recency_k4_12k", 14, 12000, 4, True, 20000,
     lambda rs, n: case_overlapping(rs, n, [(2, 30), (5, 60), (9, 120), (15, 200)],
                                    (1.5, 15.0))),
    # Above its (small) silhouette sample size, so the sampled silhouette is checked too.
    ("overlapping_k5_30k", 15, 30000, 5, False, 3000,
     lambda rs, n: case_overlapping(rs, n, [(2, 40), (4, 50), (6, 60), (8, 70), (10, 80)],
                                    (2.5, 25.0))),
]


def golden_features(seed, n, generator):
    rs = np.random.RandomState(seed)
    freq, avg = generator(rs, n)
    freq = np.asarray(freq, dtype=np.int64)
    totals = units_from_currency(np.asarray(avg) * freq)
    recency = rs.randint(0, 90, n)
    return Features([str(i) for i in range(n)], totals, freq.tolist(), recency.tolist())


def generate(out_dir):
    for name, seed, n, k, use_recency, sample, generator in GOLDEN_CASES:
        features = golden_features(seed, n, generator)
        folder = os.path.join(out_dir, name)
        os.makedirs(folder, exist_ok=True)
        write_features(os.path.join(folder, "features.csv"), features)
        params = {"k": k, "n_init": 10, "seed": 42, "use_recency": use_recency,
                  "silhouette_sample_size": sample}
        result = cluster(features, k, 42, 10, use_recency, sample)
        write_expected(folder, name, features, params, result)
    generate_big(out_dir)


# ---------------------------------------------------------------------------------------------
# The generated case: too big to commit, so its customers come from an integer-only generator
# that tests/segment/generated_features.cpp implements identically.

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def mix64(values):
    """splitmix64's output function on a numpy uint64 array (wrapping arithmetic)."""
    z = values.copy()
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def generated_features(seed, n):
    """Customer i uses draws 4i..4i+3 of splitmix64(seed): group, frequency, price, recency."""
    with np.errstate(over="ignore"):
        counters = (np.arange(1, 4 * n + 1, dtype=np.uint64) * np.uint64(GOLDEN_GAMMA) +
                    np.uint64(seed))
        draws = mix64(counters).reshape(n, 4)
    group_draw = draws[:, 0] % np.uint64(100)
    # 70% occasional, 22% regular, 8% big spenders; ranges overlap between neighbours.
    group = np.where(group_draw < 70, 0, np.where(group_draw < 92, 1, 2))
    freq_span = np.array([6, 12, 25], dtype=np.uint64)[group]
    freq_base = np.array([1, 3, 8], dtype=np.uint64)[group]
    cents_span = np.array([9000, 20000, 60000], dtype=np.uint64)[group]
    cents_base = np.array([1000, 4000, 15000], dtype=np.uint64)[group]
    freq = freq_base + draws[:, 1] % freq_span
    avg_cents = cents_base + draws[:, 2] % cents_span
    total_units = freq * avg_cents * np.uint64(100)
    recency = draws[:, 3] % np.uint64(120)
    return Features([str(i) for i in range(n)], total_units.tolist(), freq.tolist(),
                    recency.tolist())


BIG_CASE = ("generated_k2_200k", 20240601, 200000, 2)


def generate_big(out_dir):
    name, seed, n, k = BIG_CASE
    features = generated_features(seed, n)
    folder = os.path.join(out_dir, name)
    params = {"k": k, "n_init": 10, "seed": 42, "use_recency": False,
              "silhouette_sample_size": 2000}
    result = cluster(features, k, 42, 10, False, 2000)
    write_expected(folder, name, features, params, result)
    # 200k labels stay out of the repository: the test compares a digest instead.
    labels_path = os.path.join(folder, "labels.txt")
    with open(labels_path, encoding="utf-8") as f:
        digest = fnv1a64(f.read().strip().encode())
    os.remove(labels_path)
    with open(os.path.join(folder, "expected.txt"), "a", encoding="utf-8") as f:
        f.write(f"generator_seed {seed}\nlabels_fnv1a64 {digest:016x}\n")


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    return h


# ---------------------------------------------------------------------------------------------
# Literals for the C++ unit tests


def literals():
    print("// RandomState(seed): five randint(1000003), then random_sample() twice")
    for seed in (0, 42, 12345, 4294967295):
        rs = np.random.RandomState(seed)
        ints = [int(rs.randint(1000003)) for _ in range(5)]
        samples = [repr(float(rs.random_sample())) for _ in range(2)]
        print(f"{{{seed}u, {{{', '.join(map(str, ints))}}}, {{{', '.join(samples)}}}}},")
    print("// RandomState(7).randint(2), randint(2**32), randint(5) x3")
    rs = np.random.RandomState(7)
    print([int(rs.randint(2)), int(rs.randint(2 ** 32))] + [int(rs.randint(5)) for _ in range(3)])
    print("// RandomState(42).permutation(10), RandomState(3).permutation(25)[:8]")
    print(np.random.RandomState(42).permutation(10).tolist())
    print(np.random.RandomState(3).permutation(25)[:8].tolist())
    print("// np.sum of 1.0 / (i + 1) for i < n")
    for n in (7, 100, 129, 1000, 8193, 20000):
        print(n, repr(float(np.sum(1.0 / (np.arange(n) + 1.0)))))
    print("// np.argpartition(v, -count)[:-count-1:-1]")
    cases = [
        ([5, 0, 5, 1, 2], 1), ([5, 5, 0], 1), ([5, 0, 5], 1), ([0, 0, 0, 0], 1),
        ([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9], 3),
        ([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 2),
        ((np.arange(40) * 7 % 13).tolist(), 4),
        ((np.arange(200) * 37 % 101).tolist(), 5),
    ]
    for values, count in cases:
        v = np.asarray(values, dtype=np.float64)
        print(values, count, np.argpartition(v, -count)[: -count - 1 : -1].tolist())
    print("// _relocate_empty_clusters_dense(X, ones, centres, sums, weights, labels)")
    from sklearn.cluster._k_means_common import _relocate_empty_clusters_dense
    for X, centres in RELOCATION_CASES:
        X = np.asarray(X, dtype=np.float64)
        centres = np.asarray(centres, dtype=np.float64)
        labels = np.argmin(((X[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2),
                           axis=1).astype(np.int32)
        sums = np.zeros_like(centres)
        weights = np.zeros(len(centres))
        for i, label in enumerate(labels):
            sums[label] += X[i]
            weights[label] += 1.0
        _relocate_empty_clusters_dense(X, np.ones(len(X)), centres, sums, weights, labels)
        print("labels", labels.tolist())
        print("sums", [repr(float(v)) for v in sums.ravel()], "weights", weights.tolist())
    print("// silhouette_score of SILHOUETTE_CASES (labels), repr")
    for X, labels in SILHOUETTE_CASES:
        X = np.asarray(X, dtype=np.float64)
        print(repr(float(silhouette_score(X, np.asarray(labels)))))
    print("// einsum row norms: repr of norms of rows [0.1*i + 0.01*j for j < d]")
    for d in (3, 4, 9):
        row = np.array([[0.1 * 3 + 0.01 * j for j in range(d)]])
        print(d, repr(float(row_norms(row, squared=True)[0])))


RELOCATION_CASES = [
    # One empty cluster: the point farthest from its centre moves into it.
    ([[0, 0], [1, 0], [0, 1], [5, 5], [6, 5], [5, 6], [9, 9]],
     [[0.5, 0.5], [5.5, 5.5], [100, 100]]),
    # Two empty clusters, four equally far points: numpy's introselect picks which.
    ([[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2], [10, 10], [10, 10], [11, 10]],
     [[0, 0], [10, 10], [50, 50], [60, 60]]),
    # Two empty clusters on a 0.1 grid (inexact sums).
    ([[0.1, 0.2], [0.3, 0.1], [0.7, 0.9], [0.2, 0.2], [0.9, 0.8], [0.4, 0.6], [0.8, 0.1]],
     [[0.2, 0.2], [0.8, 0.8], [5, 5], [6, 6]]),
]

SILHOUETTE_CASES = [
    ([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5]], [0, 0, 0, 1, 1, 1]),
    # A cluster of one row (it scores 0) and a duplicate row.
    ([[0.1, 0.2], [0.15, 0.22], [0.9, 0.8], [0.88, 0.79], [0.5, 0.5], [0.1, 0.2]],
     [0, 0, 1, 1, 2, 0]),
]


def bigcase():
    name, seed, n, k = BIG_CASE
    features = generated_features(seed, n)
    result = cluster(features, k, 42, 10, False, 2000)
    print(f"{name}: inertia {float(result['km'].inertia_)!r} n_iter {result['km'].n_iter_}")


def check(golden_dir):
    with tempfile.TemporaryDirectory() as tmp:
        generate(tmp)
        ok = True
        for name in sorted(os.listdir(tmp)):
            for file in sorted(os.listdir(os.path.join(tmp, name))):
                fresh = os.path.join(tmp, name, file)
                committed = os.path.join(golden_dir, name, file)
                if not os.path.exists(committed) or not filecmp.cmp(fresh, committed,
                                                                     shallow=False):
                    print(f"kmeans_reference: {name}/{file} differs from the script's output",
                          file=sys.stderr)
                    ok = False
        if ok:
            print(f"kmeans_reference: golden cases in {os.path.normpath(golden_dir)} match "
                  f"scikit-learn {sklearn.__version__}")
        return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("--features")
    source.add_argument("--sales")
    run.add_argument("--order", choices=["first-seen", "sorted"], default="first-seen")
    run.add_argument("--k", type=int, default=2)
    run.add_argument("--seed", type=int, default=42)
    run.add_argument("--n-init", type=int, default=10)
    run.add_argument("--recency", action="store_true")
    run.add_argument("--silhouette-sample-size", type=int, default=20000)
    run.add_argument("--out", help="folder for expected.txt and labels.txt")
    gen = sub.add_parser("generate")
    gen.add_argument("--out", default=GOLDEN_DIR)
    chk = sub.add_parser("check")
    chk.add_argument("--golden", default=GOLDEN_DIR)
    sub.add_parser("literals")
    sub.add_parser("bigcase")
    args = parser.parse_args()

    if args.command == "run":
        features = (read_features(args.features) if args.features else
                    features_from_sales(args.sales, args.order))
        params = {"k": args.k, "n_init": args.n_init, "seed": args.seed,
                  "use_recency": args.recency,
                  "silhouette_sample_size": args.silhouette_sample_size}
        result = cluster(features, args.k, args.seed, args.n_init, args.recency,
                         args.silhouette_sample_size)
        if args.out:
            write_expected(args.out, "run", features, params, result)
        km = result["km"]
        print(f"customers {len(features.ids)} inertia {float(km.inertia_)!r} "
              f"n_iter {km.n_iter_} silhouette {result['silhouette']!r}")
        for cid, label in zip(features.ids, km.labels_.tolist()):
            print(f"{cid},{label}")
        return 0
    if args.command == "generate":
        generate(args.out)
        return 0
    if args.command == "check":
        return check(args.golden)
    if args.command == "literals":
        literals()
        return 0
    if args.command == "bigcase":
        bigcase()
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
