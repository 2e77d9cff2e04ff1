#!/usr/bin/env python3
"""Independent reference for salespipe's ETL counts, written with pandas.

It implements the cleaning contract of DESIGN.md section 3 from its text (not from salespipe's
code) and prints the counts salespipe must report on the same inputs: rows read, loaded,
rejected by reason, exact duplicates, date resolutions by step, reviews latest/superseded, the
join, and revenue totals. tests/golden/seed/etl_counts.json is this script's output on the lab's
seed; ctest re-runs the script and compares, so the golden file cannot drift from it.

Usage: etl_reference.py SALES_CSV FEEDBACK_JSON [--date-order auto|dmy|mdy]
"""
import argparse
import datetime as dt
import json
import re
import sys
from decimal import Decimal, InvalidOperation

import pandas as pd

SALES_FIELDS = ["sale_id", "product_id", "customer_id", "sale_price", "quantity", "sale_date"]
REVIEW_FIELDS = ["customer_id", "product_id", "sentiment_score", "review_date"]
STEPS = ["unambiguous", "forced", "range", "separator_majority", "column_majority",
         "default_month_first"]

PRICE_RE = re.compile(r"^(?:\$|€|£)?\s*(?P<num>-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
DATE_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
DATE_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def canonical(name):
    return re.sub(r"[\s_\-]+", "_", name.strip().lower()).strip("_")


def parse_price(text):
    """Returns (status, Decimal) with status ok|missing|bad|nonpositive."""
    t = text.strip()
    if not t:
        return "missing", None
    for code in ("USD", "EUR", "GBP"):
        if t.upper().startswith(code + " "):
            t = t[len(code):].strip()
        elif t.upper().endswith(" " + code):
            t = t[: -len(code)].strip()
    m = PRICE_RE.match(t)
    if not m:
        # "$-5" style: a sign after the symbol
        m2 = re.match(r"^(?:\$|€|£)(-\d+(?:\.\d+)?)$", t)
        if m2:
            return "nonpositive", None
        return "bad", None
    num = m.group("num").replace(",", "")
    if "." in num and len(num.split(".")[1]) > 4:
        return "bad", None
    try:
        value = Decimal(num)
    except InvalidOperation:
        return "bad", None
    if value <= 0:
        return "nonpositive", None
    return "ok", value


def parse_quantity(text):
    t = text.strip()
    if not t:
        return "missing", None
    m = re.match(r"^(\d+)(?:\.0+)?$", t)
    if not m:
        return "bad", None
    q = int(m.group(1))
    if q <= 0:
        return "bad", None
    return "ok", q


def strip_time(text):
    t = text.strip()
    for sep in ("T", " "):
        if sep in t:
            t = t.split(sep, 1)[0]
    return t


def make_date(y, m, d):
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_date(text):
    """Returns dict(status, ambiguous, sep, evidence, date, dmy, mdy)."""
    t = strip_time(text)
    if not t:
        return {"status": "missing"}
    m = DATE_YEAR_FIRST.match(t)
    if m:
        d = make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        return {"status": "ok" if d else "bad", "ambiguous": False, "sep": m.group(2),
                "evidence": None, "date": d}
    m = DATE_COMPACT.match(t)
    if m:
        d = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return {"status": "ok" if d else "bad", "ambiguous": False, "sep": "",
                "evidence": None, "date": d}
    m = DATE_YEAR_LAST.match(t)
    if not m:
        return {"status": "bad"}
    a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
    if a > 12 or b > 12:
        # The part above 12 is the day.
        d = make_date(y, b, a) if a > 12 else make_date(y, a, b)
        evidence = "dmy" if a > 12 else "mdy"
        if a > 12 and b > 12:
            return {"status": "bad"}
        return {"status": "ok" if d else "bad", "ambiguous": False, "sep": sep,
                "evidence": evidence, "date": d}
    if a == b:
        d = make_date(y, a, b)
        return {"status": "ok" if d else "bad", "ambiguous": False, "sep": sep,
                "evidence": None, "date": d}
    return {"status": "ok", "ambiguous": True, "sep": sep, "evidence": None,
            "dmy": make_date(y, b, a), "mdy": make_date(y, a, b)}


class Resolver:
    def __init__(self, parsed, order):
        self.order = order
        unamb = [p["date"] for p in parsed if p["status"] == "ok" and not p["ambiguous"]]
        self.lo = min(unamb) if unamb else None
        self.hi = max(unamb) if unamb else None
        self.by_sep = {}
        self.total = {"dmy": 0, "mdy": 0}
        for p in parsed:
            if p["status"] == "ok" and p.get("evidence"):
                self.by_sep.setdefault(p["sep"], {"dmy": 0, "mdy": 0})[p["evidence"]] += 1
                self.total[p["evidence"]] += 1

    def resolve(self, p):
        if not p["ambiguous"]:
            return p["date"], "unambiguous"
        if self.order in ("dmy", "mdy"):
            return p[self.order], "forced"
        if self.lo is not None:
            inside = [o for o in ("dmy", "mdy") if self.lo <= p[o] <= self.hi]
            if len(inside) == 1:
                return p[inside[0]], "range"
        sep = self.by_sep.get(p["sep"], {"dmy": 0, "mdy": 0})
        if sep["dmy"] != sep["mdy"]:
            o = "dmy" if sep["dmy"] > sep["mdy"] else "mdy"
            return p[o], "separator_majority"
        if self.total["dmy"] != self.total["mdy"]:
            o = "dmy" if self.total["dmy"] > self.total["mdy"] else "mdy"
            return p[o], "column_majority"
        return p["mdy"], "default_month_first"


def clean_sales(path, order):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=True)
    df.columns = [canonical(c) for c in df.columns]
    if "quantity" not in df.columns:
        df["quantity"] = ""
    parsed_dates = [parse_date(v) for v in df["sale_date"]]
    resolver = Resolver(parsed_dates, order)
    rows, rejects = [], {}
    extras = [c for c in df.columns if c not in SALES_FIELDS]
    for i, rec in enumerate(df.to_dict("records")):
        reason = None
        sale_id = rec["sale_id"].strip()
        product = rec["product_id"].strip().upper()
        customer = rec["customer_id"].strip().upper()
        price_status, price = parse_price(rec["sale_price"])
        qty_status, qty = parse_quantity(rec["quantity"])
        date = parsed_dates[i]
        checks = [
            (not sale_id, "missing_sale_id"),
            (not product, "missing_product_id"),
            (not customer, "missing_customer_id"),
            (price_status == "missing", "missing_price"),
            (price_status == "bad", "bad_price"),
            (price_status == "nonpositive", "nonpositive_price"),
            (qty_status == "bad", "bad_quantity"),
            (date["status"] == "missing", "missing_date"),
            (date["status"] == "bad", "bad_date"),
        ]
        for failed, code in checks:
            if failed:
                reason = code
                break
        if reason:
            rejects[reason] = rejects.get(reason, 0) + 1
            continue
        rows.append({"sale_id": sale_id, "product_id": product, "customer_id": customer,
                     "price": price, "quantity": qty if qty_status == "ok" else 1,
                     "parsed_date": date, "extras": tuple(rec[c] for c in extras)})
    steps = {s: 0 for s in STEPS}
    for r in rows:
        r["sale_date"], step = resolver.resolve(r["parsed_date"])
        steps[step] += 1
    return len(df), rows, rejects, steps


def clean_reviews(path, order):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stripped = text.lstrip()
    if stripped.startswith("["):
        records = json.loads(text)
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    parsed_dates = []
    for rec in records:
        v = rec.get("review_date") if isinstance(rec, dict) else None
        parsed_dates.append(parse_date(v) if isinstance(v, str) else {"status": "bad"})
    resolver = Resolver(parsed_dates, order)
    rows, rejects = [], {}
    for i, rec in enumerate(records):
        reason = None
        if not isinstance(rec, dict):
            reason = "not_an_object"
        else:
            customer = str(rec.get("customer_id") or "").strip().upper()
            product = str(rec.get("product_id") or "").strip().upper()
            score = rec.get("sentiment_score")
            date = parsed_dates[i]
            if not customer:
                reason = "missing_customer_id"
            elif not product:
                reason = "missing_product_id"
            elif score is None or (isinstance(score, str) and not score.strip()):
                reason = "missing_sentiment"
            elif isinstance(score, bool) or not isinstance(score, (int, float, str)):
                reason = "bad_sentiment"
            else:
                try:
                    value = float(score)
                except ValueError:
                    value = None
                if value is None:
                    reason = "bad_sentiment"
                elif not 1.0 <= value <= 5.0:
                    reason = "sentiment_out_of_range"
            if not reason and rec.get("review_date") in (None, ""):
                reason = "missing_date"
            elif not reason and date["status"] != "ok":
                reason = "bad_date"
        if reason:
            rejects[reason] = rejects.get(reason, 0) + 1
            continue
        rows.append({"customer_id": customer, "product_id": product, "sentiment": float(score),
                     "parsed_date": parsed_dates[i], "order": i})
    steps = {s: 0 for s in STEPS}
    for r in rows:
        r["review_date"], step = resolver.resolve(r["parsed_date"])
        steps[step] += 1
    return len(records), rows, rejects, steps


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sales")
    parser.add_argument("feedback")
    parser.add_argument("--date-order", default="auto", choices=["auto", "dmy", "mdy"])
    args = parser.parse_args()

    sales_read, sales, sales_rejects, sale_steps = clean_sales(args.sales, args.date_order)
    reviews_read, reviews, review_rejects, review_steps = clean_reviews(args.feedback,
                                                                      args.date_order)

    # Duplicates: the first loaded record of each sale_id stays; identical later ones are
    # exact duplicates, different ones are duplicate_sale_id rejects.
    first = {}
    loaded, exact = [], 0
    for r in sales:
        key = (r["product_id"], r["customer_id"], r["price"], r["quantity"], r["sale_date"],
               r["extras"])
        if r["sale_id"] not in first:
            first[r["sale_id"]] = key
            loaded.append(r)
        elif first[r["sale_id"]] == key:
            exact += 1
        else:
            sales_rejects["duplicate_sale_id"] = sales_rejects.get("duplicate_sale_id", 0) + 1

    # Latest review per (product, customer): later date wins, then later record.
    rv = pd.DataFrame(reviews)
    rv = rv.sort_values(["review_date", "order"], kind="stable")
    latest = rv.drop_duplicates(["product_id", "customer_id"], keep="last")

    sd = pd.DataFrame(loaded)
    sd["revenue"] = [p * q for p, q in zip(sd["price"], sd["quantity"])]
    joined = sd.merge(latest[["product_id", "customer_id", "sentiment"]],
                      on=["product_id", "customer_id"], how="left")
    sold_pairs = set(zip(sd["product_id"], sd["customer_id"]))
    reviews_without_sale = sum(1 for pair in zip(latest["product_id"], latest["customer_id"])
                               if pair not in sold_pairs)
    dates = pd.to_datetime(sd["sale_date"])

    out = {
        "sales": {
            "read": sales_read,
            "loaded": len(loaded),
            "rejected": sum(sales_rejects.values()),
            "exact_duplicates": exact,
            "rejects_by_reason": dict(sorted(sales_rejects.items())),
            "sale_date_by_step": sale_steps,
            "without_review": int(joined["sentiment"].isna().sum()),
            "min_sale_date": str(dates.min().date()),
            "max_sale_date": str(dates.max().date()),
            "total_revenue": f"{sum(sd['revenue']):.2f}",
        },
        "reviews": {
            "read": reviews_read,
            "valid": len(reviews),
            "rejected": sum(review_rejects.values()),
            "rejects_by_reason": dict(sorted(review_rejects.items())),
            "latest": len(latest),
            "superseded": len(reviews) - len(latest),
            "review_date_by_step": review_steps,
            "without_loaded_sale": reviews_without_sale,
        },
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
