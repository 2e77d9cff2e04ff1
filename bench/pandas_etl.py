#!/usr/bin/env python3
"""The pandas peer of `make bench`: salespipe's ETL (DESIGN.md section 3) written the way a
pandas user writes it, with vectorised column operations (read_csv, str methods, to_datetime
per shape, boolean masks, drop_duplicates, merge, to_csv). It is not tools/etl_reference.py,
which checks the contract row by row; this one is meant to be timed.

It writes what `salespipe etl --no-warehouse-db --no-fingerprints` writes for the same inputs:
OUT/data_warehouse/processed_sales_data.csv (one row per loaded sale, joined with the latest
review of its product and customer) and OUT/data_warehouse/rejects.csv (one row per rejected
record, sorted by source then line), and prints one JSON line of counts on stdout.

Where pandas cannot see what salespipe sees, the script says so instead of guessing:
- a sales record's line is its row index + 2 (header = line 1), read with blank lines kept;
  that is the physical line unless a quoted field spans lines (generated files have none);
  a row whose every field is empty is taken for a blank line;
- a review's line is the line of the n-th '{' in the file, which is the element's opening
  brace when objects are flat and no string holds a '{' (the script stops if the count of
  braces differs from the count of records);
- a JSON number's raw text in a reject is Python's repr of the parsed float.

Usage: pandas_etl.py --sales CSV --feedback JSON --out DIR
"""
import argparse
import json
import os
import re
import sys

import numpy as np
import pandas as pd

SALES_FIELDS = ["sale_id", "product_id", "customer_id", "sale_price", "quantity", "sale_date"]
REVIEW_FIELDS = ["customer_id", "product_id", "sentiment_score", "review_date"]
PROCESSED_COLUMNS = ["sale_id", "product_id", "customer_id", "sale_price", "quantity",
                     "sale_date", "total_revenue", "sentiment_score", "review_date"]
REJECT_COLUMNS = ["source", "line", "column", "raw_value", "reason", "message"]
SCALE = 10_000  # money in 1/10000 units, as salespipe's Money
MAX_WHOLE = 922_337_203_685_477  # the largest whole part that fits int64 1/10000 units
BLANKS = " \t"
INT64_MAX = float(np.iinfo(np.int64).max)
DEFAULT_QUANTITY = 1
OK, BAD, MISSING = 0, 1, 2  # date cell status
EV_DMY, EV_MDY = 1, 2  # what an unambiguous year-last value proves

# A price after trimming: [sign] [currency] [sign] number [currency], the number either
# thousands-grouped (first group 1-3 digits not starting with 0) or plain, then 1-4 decimals.
CURRENCY = r"(?:\$|€|£|[Uu][Ss][Dd]|[Ee][Uu][Rr]|[Gg][Bb][Pp])"
PRICE_RE = (r"^(?P<s1>[-+](?=" + CURRENCY + r"))?(?P<c1>" + CURRENCY + r"[ \t]*)?(?P<s2>[-+])?"
            r"(?P<whole>[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d{1,4}))?"
            r"(?P<c2>[ \t]*" + CURRENCY + r")?$")
QUANTITY_RE = r"^(?P<n>\d+)(?:\.0+)?$"
SENTIMENT_RE = r"^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$"


def canonical(name):
    return re.sub(r"[\s_\-]+", "_", name.strip().lower()).strip("_")


def quoted(raw):
    """The raw text as messages show it: cut after 64 characters with a marker."""
    long = raw.str.len() > 64
    if long.any():
        raw = raw.where(~long, raw.str.slice(0, 64) + "…[truncated]")
    return raw


def join_messages(parts):
    """Joins per-field messages ('' where the field is fine) with '; ', in field order."""
    message = parts[0].astype(object)
    for part in parts[1:]:
        part = part.astype(object)
        has = part != ""
        sep = np.where((message != "") & has, "; ", "").astype(object)
        message = np.where(has, message + sep + part, message)
    return message


# ---------------------------------------------------------------------------------------------
# Dates: every shape of section 3, then the column rule for ambiguous values.


def parse_dates(raw):
    """Reads one date column (a Series with a RangeIndex). Returns a dict of numpy arrays:
    status (OK/BAD/MISSING), date (unambiguous values), dmy and mdy (both readings of an
    ambiguous value, NaT otherwise), sep (the separator of year-last values) and evidence
    (EV_DMY/EV_MDY for a year-last value with a part above 12)."""
    s = raw.str.strip(BLANKS)
    # A time part is ignored: only values longer than a date can carry one.
    long = s.str.len() > 10
    if long.any():
        cut = s[long].str.replace(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8})T\d.*$", r"\1",
                                  regex=True).str.replace(r"[ \t]+\d.*$", "", regex=True)
        s = s.where(~long, cut)
    n = len(s)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    status = np.full(n, BAD, dtype=np.int8)
    date, dmy_all, mdy_all = nat.copy(), nat.copy(), nat.copy()
    sep_all = np.full(n, "", dtype=object)
    evidence = np.full(n, 0, dtype=np.int8)
    missing = (s == "").to_numpy()
    status[missing] = MISSING
    # Year first (yyyy-mm-dd, yyyy/mm/dd, yyyy.mm.dd, yyyymmdd): pandas' ISO parser reads them.
    fifth = s.str[4]
    year_first = (fifth.isin(["-", "/", "."]) | ((s.str.len() == 8) & s.str.isdigit())).to_numpy()
    pos = np.flatnonzero(year_first)
    if len(pos):
        parsed = pd.to_datetime(s.iloc[pos], format="%Y-%m-%d", errors="coerce").to_numpy()
        good = ~np.isnat(parsed)
        date[pos[good]] = parsed[good]
        status[pos[good]] = OK
    # Year last: dd-mm-yyyy or mm-dd-yyyy, the same separator twice (exact formats).
    rest = np.flatnonzero(~year_first & ~missing)
    sep = s.iloc[rest].str[-5].to_numpy()
    for c in "-/.":
        pos = rest[sep == c]
        if not len(pos):
            continue
        part = s.iloc[pos]
        dmy = pd.to_datetime(part, format=f"%d{c}%m{c}%Y", errors="coerce").to_numpy()
        mdy = pd.to_datetime(part, format=f"%m{c}%d{c}%Y", errors="coerce").to_numpy()
        d_ok, m_ok = ~np.isnat(dmy), ~np.isnat(mdy)
        same = d_ok & m_ok & (dmy == mdy)
        ambiguous = d_ok & m_ok & ~same
        unambiguous = (d_ok ^ m_ok) | same
        date[pos[unambiguous]] = np.where(d_ok, dmy, mdy)[unambiguous]
        evidence[pos[d_ok & ~m_ok]] = EV_DMY
        evidence[pos[m_ok & ~d_ok]] = EV_MDY
        dmy_all[pos[ambiguous]] = dmy[ambiguous]
        mdy_all[pos[ambiguous]] = mdy[ambiguous]
        status[pos[unambiguous | ambiguous]] = OK
        sep_all[pos] = c
    return {"status": status, "date": date, "dmy": dmy_all, "mdy": mdy_all, "sep": sep_all,
            "evidence": evidence}


def resolve_dates(parsed):
    """The date of every value of a column: unambiguous as read; ambiguous by the range rule,
    then separator majority, then column majority, then month-first. The range and evidence
    come from every row of the file, whatever else is wrong with it."""
    date = parsed["date"].copy()
    dmy, mdy = parsed["dmy"], parsed["mdy"]
    ambiguous = ~np.isnat(dmy)
    if not ambiguous.any():
        return date
    known = date[~np.isnat(date)]
    if len(known):
        lo, hi = known.min(), known.max()
        in_d = (dmy >= lo) & (dmy <= hi)
        in_m = (mdy >= lo) & (mdy <= hi)
    else:
        in_d = in_m = np.zeros(len(date), dtype=bool)
    evidence, sep = parsed["evidence"], parsed["sep"]
    total_d, total_m = int((evidence == EV_DMY).sum()), int((evidence == EV_MDY).sum())
    choose_dmy = np.full(len(date), total_d > total_m)  # month-first when equal
    for c in "-/.":
        of_sep = sep == c
        d = int((of_sep & (evidence == EV_DMY)).sum())
        m = int((of_sep & (evidence == EV_MDY)).sum())
        if d != m:
            choose_dmy[of_sep] = d > m
    pick_dmy = ambiguous & ((in_d & ~in_m) | (~(in_d ^ in_m) & choose_dmy))
    pick_mdy = ambiguous & ~pick_dmy
    date[pick_dmy] = dmy[pick_dmy]
    date[pick_mdy] = mdy[pick_mdy]
    return date


# ---------------------------------------------------------------------------------------------
# Sales


def read_sales(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    df.columns = [canonical(c) for c in df.columns]
    lines = np.arange(2, len(df) + 2, dtype=np.int64)
    blank = (df == "").all(axis=1).to_numpy()
    if blank.any():
        df = df[~blank].reset_index(drop=True)
        lines = lines[~blank]
    df["line"] = lines
    for field in SALES_FIELDS:
        if field not in df.columns:
            if field != "quantity":
                sys.exit(f"{path}: required column \"{field}\" is missing")
            df["quantity"] = ""
    return df


def parse_prices(raw):
    """Returns (units in 1/10000 as int64, missing, bad, nonpositive) masks and values."""
    text = raw.str.strip(BLANKS)
    m = text.str.extract(PRICE_RE)
    matched = m["whole"].notna().to_numpy()
    digits = m["whole"].str.replace(",", "", regex=False)
    too_big = (digits.str.lstrip("0").str.len() > 15).to_numpy()
    whole = pd.to_numeric(digits.where(matched & ~too_big), errors="coerce").fillna(0).to_numpy()
    frac = pd.to_numeric(m["frac"].fillna("").str.ljust(4, "0"), errors="coerce").fillna(0)
    frac = frac.to_numpy().astype(np.int64)
    too_big |= (whole > MAX_WHOLE) | ((whole == MAX_WHOLE) & (frac > 5807))
    units = whole.astype(np.int64) * SCALE + frac
    negative = ((m["s1"] == "-") | (m["s2"] == "-")).to_numpy()
    two_signs = (m["s1"].notna() & m["s2"].notna()).to_numpy()
    two_markers = (m["c1"].notna() & m["c2"].notna()).to_numpy()
    missing = (text == "").to_numpy()
    bad = ~missing & (~matched | two_signs | two_markers | too_big)
    nonpositive = ~missing & ~bad & (negative | (units == 0))
    return units, missing, bad, nonpositive


def parse_quantities(raw, price_units, price_ok):
    """Returns (quantity with the default for missing cells, missing, bad, overflow)."""
    text = raw.str.strip(BLANKS)
    q = pd.to_numeric(text.str.extract(QUANTITY_RE)["n"], errors="coerce").to_numpy()
    missing = (text == "").to_numpy()
    bad = ~missing & (np.isnan(q) | (q <= 0) | (q > INT64_MAX))
    q = np.where(missing, DEFAULT_QUANTITY, np.where(bad, 0, q))
    quantity = np.nan_to_num(q).astype(np.int64)
    # total_revenue must fit in int64 1/10000 units too.
    overflow = price_ok & ~bad & (price_units.astype(np.float64) * quantity > INT64_MAX)
    return quantity, missing, bad, overflow


def clean_sales(df, source):
    """Returns (valid rows with typed columns, rejects DataFrame or None, extra column names)."""
    extras = [c for c in df.columns if c not in SALES_FIELDS and c != "line"]
    sale_id = df["sale_id"].str.strip(BLANKS)
    product = df["product_id"].str.strip(BLANKS).str.upper()
    customer = df["customer_id"].str.strip(BLANKS).str.upper()
    id_missing = [(sale_id == "").to_numpy(), (product == "").to_numpy(),
                  (customer == "").to_numpy()]
    units, price_missing, price_bad, price_nonpositive = parse_prices(df["sale_price"])
    earlier = id_missing[0] | id_missing[1] | id_missing[2] | price_missing | price_bad \
        | price_nonpositive
    quantity, _, quantity_bad, overflow = parse_quantities(df["quantity"], units, ~earlier)
    overflow &= ~earlier  # salespipe checks the product only on an otherwise clean record
    parsed = parse_dates(df["sale_date"])
    date_missing = parsed["status"] == MISSING
    date_bad = parsed["status"] == BAD
    sale_date = resolve_dates(parsed)

    checks = [  # canonical field order: the first failing field gives the reason
        ("sale_id", id_missing[0], "missing_sale_id"),
        ("product_id", id_missing[1], "missing_product_id"),
        ("customer_id", id_missing[2], "missing_customer_id"),
        ("sale_price", price_missing, "missing_price"),
        ("sale_price", price_bad, "bad_price"),
        ("sale_price", price_nonpositive, "nonpositive_price"),
        ("quantity", quantity_bad | overflow, "bad_quantity"),
        ("sale_date", date_missing, "missing_date"),
        ("sale_date", date_bad, "bad_date"),
    ]
    failed = np.zeros(len(df), dtype=bool)
    for _, mask, _ in checks:
        failed |= mask
    rejects = None
    if failed.any():
        f = failed
        bad = df[f]
        column, reason = first_failure(checks, f)
        raw = np.full(len(bad), "", dtype=object)
        for field in SALES_FIELDS:
            take = column == field
            raw[take] = bad[field].to_numpy()[take]
        qp, qq, qd = (quoted(bad[c]).to_numpy() for c in ("sale_price", "quantity", "sale_date"))
        messages = [
            np.where(id_missing[0][f], "sale_id: missing", ""),
            np.where(id_missing[1][f], "product_id: missing", ""),
            np.where(id_missing[2][f], "customer_id: missing", ""),
            np.select([price_missing[f], price_bad[f], price_nonpositive[f]],
                      ["sale_price: missing", 'sale_price: cannot read "' + qp + '" as a price',
                       'sale_price: "' + qp + '" is not a positive price'], ""),
            np.select([quantity_bad[f], overflow[f]],
                      ['quantity: "' + qq + '" is not a positive whole number',
                       "quantity: price times quantity overflows"], ""),
            np.select([date_missing[f], date_bad[f]],
                      ["sale_date: missing",
                       'sale_date: cannot read "' + qd + '" as a real date'], ""),
        ]
        rejects = pd.DataFrame({"source": source, "line": bad["line"].to_numpy(),
                                "column": column, "raw_value": raw, "reason": reason,
                                "message": join_messages(messages)})

    ok = ~failed
    valid = pd.DataFrame({"line": df["line"].to_numpy()[ok], "sale_id": sale_id[ok].to_numpy(),
                          "product_id": product[ok].to_numpy(),
                          "customer_id": customer[ok].to_numpy(), "units": units[ok],
                          "quantity": quantity[ok], "sale_date": sale_date[ok]})
    for e in extras:
        valid[e] = df[e].to_numpy()[ok]
    return valid, rejects, extras


def first_failure(checks, failed):
    """The column and reason of each failed row: its first failing check."""
    column = np.full(int(failed.sum()), "", dtype=object)
    reason = np.full(int(failed.sum()), "", dtype=object)
    for field, mask, code in checks:
        take = mask[failed] & (reason == "")
        column[take] = field
        reason[take] = code
    return column, reason


def dedupe_sales(valid, extras, source):
    """Drops exact duplicates; a later record with a loaded sale_id that differs anywhere is a
    duplicate_sale_id reject. Returns (kept, rejects or None, exact duplicate count)."""
    repeated = valid["sale_id"].duplicated(keep="first").to_numpy()
    if not repeated.any():
        return valid, None, 0
    compare = ["product_id", "customer_id", "units", "quantity", "sale_date"] + extras
    first = valid[~repeated].set_index("sale_id")
    later = valid[repeated]
    original = first.loc[later["sale_id"]]
    differs = [later[c].to_numpy() != original[c].to_numpy() for c in compare]
    any_diff = np.logical_or.reduce(differs)
    names = {"units": "sale_price"}
    first_diff = np.select(differs, [names.get(c, c) for c in compare], "nothing")[any_diff]
    dup_ids = later["sale_id"].to_numpy()[any_diff]
    first_line = original["line"].to_numpy()[any_diff].astype(str)
    rejects = pd.DataFrame({
        "source": source, "line": later["line"].to_numpy()[any_diff], "column": "sale_id",
        "raw_value": dup_ids, "reason": "duplicate_sale_id",
        "message": ("sale_id " + dup_ids + " was loaded from line " + first_line.astype(object)
                    + "; this record differs in " + first_diff.astype(object))})
    return valid[~repeated], rejects, int((~any_diff).sum())


# ---------------------------------------------------------------------------------------------
# Reviews


def element_lines(path, records):
    """The line of the n-th '{' of the file, for each of the n records."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    chunk = 64 << 20
    lines, base = [], 1
    for start in range(0, len(data), chunk):
        piece = np.asarray(data[start:start + chunk])
        newlines = np.flatnonzero(piece == ord("\n"))
        braces = np.flatnonzero(piece == ord("{"))
        lines.append(base + np.searchsorted(newlines, braces))
        base += len(newlines)
    lines = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    if len(lines) != records:
        sys.exit(f"{path}: {len(lines)} '{{' for {records} records: line numbers need flat "
                 "objects with no '{' inside strings")
    return lines.astype(np.int64)


def read_reviews(path):
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    ndjson = not head.startswith(b"[")
    rv = pd.read_json(path, orient="records", lines=ndjson, dtype=False, convert_dates=False,
                      precise_float=True)
    for field in REVIEW_FIELDS:
        if field not in rv.columns:
            rv[field] = None
    rv["line"] = element_lines(path, len(rv))
    return rv


STRING, NUMBER, BOOLEAN, ARRAY, OBJECT, ABSENT = range(6)  # JSON cell kinds
KIND_NAMES = np.array(["a string", "a number", "a boolean", "an array", "an object", "absent"],
                      dtype=object)


def cell_kinds(col):
    """Splits a JSON column into (kind array, text Series). Text is the string itself, a
    number's repr, or the JSON of a boolean, array or object; '' when absent or null."""
    if np.issubdtype(col.dtype, np.number):
        present = col.notna().to_numpy()
        return np.where(present, NUMBER, ABSENT), col.astype(str).where(present, "")
    if pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
        present = col.notna().to_numpy()
        return np.where(present, STRING, ABSENT), col.where(present, "")
    # Mixed cells: one look at each value's type.
    kind_of = col.map(type)
    masks = [(kind_of == str).to_numpy(),
             (kind_of.isin([int, float]) & col.notna()).to_numpy(),
             (kind_of == bool).to_numpy(), (kind_of == list).to_numpy(),
             (kind_of == dict).to_numpy()]
    kind = np.select(masks, [STRING, NUMBER, BOOLEAN, ARRAY, OBJECT], ABSENT)
    text = pd.Series("", index=col.index, dtype=object)
    text[masks[0]] = col[masks[0]]
    text[masks[1]] = col[masks[1]].map(repr)
    other = masks[2] | masks[3] | masks[4]
    text[other] = col[other].map(json.dumps)
    return kind, text


def id_message(field, bad, kind):
    wrong_kind = (kind != STRING) & (kind != NUMBER) & (kind != ABSENT)
    return np.select([bad & wrong_kind, bad],
                     [field + ": " + KIND_NAMES[kind] + " is not an identifier",
                      field + ": missing"], "")


def clean_reviews(rv, source):
    ids, id_bad, id_kind, raws = {}, {}, {}, {}
    for field in ("customer_id", "product_id"):
        kind, text = cell_kinds(rv[field])
        ids[field] = text.str.strip(BLANKS).str.upper()
        id_bad[field] = ((kind != STRING) & (kind != NUMBER)) | (ids[field] == "").to_numpy()
        id_kind[field] = kind
        raws[field] = text

    kind, text = cell_kinds(rv["sentiment_score"])
    raws["sentiment_score"] = text
    stext = text.str.strip(BLANKS)
    value = np.full(len(rv), np.nan)
    grammar = np.ones(len(rv), dtype=bool)
    numbers = kind == NUMBER
    value[numbers] = pd.to_numeric(stext[numbers]).to_numpy()
    strings = np.flatnonzero(kind == STRING)
    if len(strings):
        st = stext.iloc[strings]
        ok = (st.str.match(SENTIMENT_RE) | st.str.match(r"^-?(?i:inf|infinity)$")).to_numpy()
        grammar[strings] = ok
        value[strings] = pd.to_numeric(st.where(ok), errors="coerce").to_numpy()
    sentiment_missing = (kind == ABSENT) | ((kind == STRING) & (stext == "").to_numpy())
    not_a_score = (kind != STRING) & (kind != NUMBER) & (kind != ABSENT)
    sentiment_bad = ~sentiment_missing & (not_a_score | ~grammar)
    with np.errstate(invalid="ignore"):
        in_range = (value >= 1.0) & (value <= 5.0)
    sentiment_range = ~sentiment_missing & ~sentiment_bad & ~in_range

    dkind, dtext = cell_kinds(rv["review_date"])
    raws["review_date"] = dtext
    blank_date = (dkind == ABSENT) | ((dkind == STRING) & (dtext.str.strip(BLANKS) == "").to_numpy())
    parsed = parse_dates(dtext.where(dkind == STRING, ""))
    date_bad = ~blank_date & ((dkind != STRING) | (parsed["status"] == BAD))
    review_date = resolve_dates(parsed)

    checks = [
        ("customer_id", id_bad["customer_id"], "missing_customer_id"),
        ("product_id", id_bad["product_id"], "missing_product_id"),
        ("sentiment_score", sentiment_missing, "missing_sentiment"),
        ("sentiment_score", sentiment_bad, "bad_sentiment"),
        ("sentiment_score", sentiment_range, "sentiment_out_of_range"),
        ("review_date", blank_date, "missing_date"),
        ("review_date", date_bad, "bad_date"),
    ]
    failed = np.zeros(len(rv), dtype=bool)
    for _, mask, _ in checks:
        failed |= mask
    rejects = None
    if failed.any():
        f = failed
        column, reason = first_failure(checks, f)
        raw = np.full(int(f.sum()), "", dtype=object)
        for field, values in raws.items():
            take = column == field
            raw[take] = values.to_numpy()[f][take]
        qs, qd = quoted(text[f]).to_numpy(), quoted(dtext[f]).to_numpy()
        messages = [id_message(field, id_bad[field][f], id_kind[field][f])
                    for field in ("customer_id", "product_id")]
        messages += [
            np.select([sentiment_missing[f], not_a_score[f], sentiment_bad[f],
                       sentiment_range[f]],
                      ["sentiment_score: missing",
                       "sentiment_score: " + KIND_NAMES[kind[f]] + " is not a score",
                       'sentiment_score: cannot read "' + qs + '" as a number',
                       "sentiment_score: " + qs + " is outside [1, 5]"], ""),
            np.select([blank_date[f], date_bad[f] & (dkind[f] != STRING), date_bad[f]],
                      ["review_date: missing",
                       "review_date: " + KIND_NAMES[dkind[f]] + " is not a date",
                       'review_date: cannot read "' + qd + '" as a real date'], ""),
        ]
        rejects = pd.DataFrame({"source": source, "line": rv["line"].to_numpy()[f],
                                "column": column, "raw_value": raw, "reason": reason,
                                "message": join_messages(messages)})
    ok = ~failed
    valid = pd.DataFrame({"product_id": ids["product_id"].to_numpy()[ok],
                          "customer_id": ids["customer_id"].to_numpy()[ok],
                          "sentiment_score": value[ok], "review_date": review_date[ok]})
    return valid, rejects


# ---------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", required=True)
    parser.add_argument("--feedback", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    sales_raw = read_sales(args.sales)
    sales_read = len(sales_raw)
    valid, sales_rejects, extras = clean_sales(sales_raw, args.sales)
    del sales_raw
    kept, dup_rejects, exact = dedupe_sales(valid, extras, args.sales)
    del valid

    rv = read_reviews(args.feedback)
    reviews_read = len(rv)
    reviews, review_rejects = clean_reviews(rv, args.feedback)
    del rv

    # The latest review per (product, customer): the later date wins, then the later record
    # (a stable sort keeps file order among equal dates).
    latest = reviews.sort_values("review_date", kind="stable").drop_duplicates(
        ["product_id", "customer_id"], keep="last")

    out = kept.merge(latest, on=["product_id", "customer_id"], how="left")
    out["sale_price"] = out["units"] / SCALE
    out["total_revenue"] = (out["units"] * out["quantity"]) / SCALE
    without_review = int(out["sentiment_score"].isna().sum())
    out["sentiment_score"] = out["sentiment_score"].astype(str).where(
        out["sentiment_score"].notna(), "")

    warehouse = os.path.join(args.out, "data_warehouse")
    os.makedirs(warehouse, exist_ok=True)
    out[PROCESSED_COLUMNS + extras].to_csv(
        os.path.join(warehouse, "processed_sales_data.csv"), index=False, float_format="%.2f")

    parts = [r for r in (sales_rejects, dup_rejects, review_rejects) if r is not None]
    rejects = (pd.concat(parts, ignore_index=True) if parts
               else pd.DataFrame(columns=REJECT_COLUMNS))
    rejects = rejects.sort_values(["source", "line"], kind="stable")
    rejects[REJECT_COLUMNS].to_csv(os.path.join(warehouse, "rejects.csv"), index=False)

    sales_rejected = sum(0 if r is None else len(r) for r in (sales_rejects, dup_rejects))
    summary = {
        "sales": {"read": sales_read, "loaded": len(out), "rejected": sales_rejected,
                  "exact_duplicates": exact, "without_review": without_review},
        "reviews": {"read": reviews_read, "valid": len(reviews),
                    "rejected": 0 if review_rejects is None else len(review_rejects),
                    "latest": len(latest), "superseded": len(reviews) - len(latest)},
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
