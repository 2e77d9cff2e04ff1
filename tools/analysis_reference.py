#!/usr/bin/env python3
"""Independent reference for salespipe's top products (reports/top_products.csv), with pandas.

It starts from the lab's raw inputs, not from salespipe's warehouse, so nothing salespipe
computes feeds it: the cleaning contract (DESIGN.md section 3) comes from tools/etl_reference.py,
the pandas reference of the ETL, and everything after it is written here from DESIGN.md
section 5:

- loaded sales: the cleaned sales with exact duplicates dropped (the first record of a sale_id
  stays; a later different record with that id is not loaded);
- latest reviews: per (product_id, customer_id) the valid review with the latest review_date,
  on equal dates the later record in the file;
- the period's sales (sales without a review count), ranked by revenue, ties by product_id;
- avg_sentiment: the unweighted mean of each product's latest reviews, whatever their date and
  whether the customer bought; review_count their number;
- change against the previous period (the quarter or year before, or as many days before a
  range), "new" when the product sold nothing then, empty cells when there is no previous period
  or no loaded sale is dated in it.

It prints the CSV salespipe writes, byte for byte: money exact (1/10000 units, two decimals,
half away from zero), share a fraction with 4 decimals, avg_sentiment 4 decimals, change_pct a
percentage with 2 decimals. tests/golden/seed/top_products*.csv are its output on the lab's seed.

Usage: analysis_reference.py SALES_CSV FEEDBACK_JSON [--period P] [--top N]
                             [--date-order auto|dmy|mdy]
P: latest-quarter (default), last-quarter, YYYYQn, YYYY, YYYY-MM-DD..YYYY-MM-DD or all.
"""
import argparse
import datetime as dt
import os
import re
import sys
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import etl_reference  # noqa: E402  (the cleaning contract, in pandas)

HEADER = ("rank,product_id,revenue,share,units,orders,customers,avg_sentiment,review_count,"
          "previous_revenue,change,change_pct")
SCALE = 10000  # money in 1/10000 units, as salespipe's Money


class Period:
    def __init__(self, kind, first, last, label):
        self.kind, self.first, self.last, self.label = kind, first, last, label


def quarter(year, q):
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return Period("quarter", first, last - dt.timedelta(days=1), f"{year:04d} Q{q}")


def year_period(year):
    return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}")


def range_period(first, last):
    return Period("range", first, last, f"{first.isoformat()}..{last.isoformat()}")


def parse_period(text, first_sale, last_sale):
    t = text.strip().lower()
    if t in ("latest-quarter", "last-quarter"):
        return quarter(last_sale.year, (last_sale.month - 1) // 3 + 1)
    if t == "all":
        return Period("all", first_sale, last_sale, "all time")
    m = re.fullmatch(r"(\d{4})q([1-4])", t)
    if m:
        return quarter(int(m.group(1)), int(m.group(2)))
    if re.fullmatch(r"\d{4}", t):
        return year_period(int(t))
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", t)
    if m:
        return range_period(dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2)))
    sys.exit(f"bad period {text!r}")


def previous(period):
    if period.kind == "quarter":
        q = (period.first.month - 1) // 3 + 1
        return quarter(period.first.year, q - 1) if q > 1 else quarter(period.first.year - 1, 4)
    if period.kind == "year":
        return year_period(period.first.year - 1)
    if period.kind == "range":
        days = (period.last - period.first).days + 1
        return range_period(period.first - dt.timedelta(days=days),
                            period.first - dt.timedelta(days=1))
    return None


def money(units):
    amount = (Decimal(int(units)) / SCALE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)
    return format(amount, "f")


def fixed(value, decimals):
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and set(text[1:]) <= {"0", "."}:
        text = text[1:]
    return text


def csv_text(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def loaded_sales(path, order):
    _, rows, _, _ = etl_reference.clean_sales(path, order)
    first, loaded = {}, []
    for r in rows:
        key = (r["product_id"], r["customer_id"], r["price"], r["quantity"], r["sale_date"],
               r["extras"])
        if r["sale_id"] not in first:
            first[r["sale_id"]] = key
            loaded.append(r)
    sales = pd.DataFrame({
        "product_id": [r["product_id"] for r in loaded],
        "customer_id": [r["customer_id"] for r in loaded],
        "quantity": [int(r["quantity"]) for r in loaded],
        "sale_date": [r["sale_date"] for r in loaded],
        # Exact: a price has at most 4 decimals, so price × 10000 is an integer.
        "revenue": [int(r["price"] * SCALE) * int(r["quantity"]) for r in loaded],
    })
    return sales


def latest_reviews(path, order):
    _, rows, _, _ = etl_reference.clean_reviews(path, order)
    reviews = pd.DataFrame(rows, columns=["product_id", "customer_id", "sentiment",
                                          "review_date", "order"])
    # The last row of each pair after ordering by date then file position is its latest review.
    reviews = reviews.sort_values(["review_date", "order"], kind="mergesort")
    return reviews.groupby(["product_id", "customer_id"], sort=False).tail(1)


def in_period(sales, period):
    return sales[(sales["sale_date"] >= period.first) & (sales["sale_date"] <= period.last)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sales")
    parser.add_argument("feedback")
    parser.add_argument("--period", default="latest-quarter")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--date-order", default="auto", choices=["auto", "dmy", "mdy"])
    args = parser.parse_args()

    sales = loaded_sales(args.sales, args.date_order)
    latest = latest_reviews(args.feedback, args.date_order)
    period = parse_period(args.period, sales["sale_date"].min(), sales["sale_date"].max())
    current = in_period(sales, period)
    if current.empty:
        sys.stderr.write(f"no loaded sales in {period.label}\n")
        sys.exit(3)

    by_product = current.groupby("product_id").agg(
        revenue=("revenue", "sum"), units=("quantity", "sum"), orders=("revenue", "size"),
        customers=("customer_id", "nunique"))
    by_product = by_product.reset_index().sort_values(
        ["revenue", "product_id"], ascending=[False, True], kind="mergesort")
    total = int(current["revenue"].sum())

    sentiment = latest.groupby("product_id")["sentiment"].agg(["mean", "size"])

    prev = previous(period)
    prev_revenue = None
    if prev is not None:
        before = in_period(sales, prev)
        if not before.empty:
            prev_revenue = before.groupby("product_id")["revenue"].sum()

    lines = [HEADER]
    for rank, row in enumerate(by_product.head(args.top).itertuples(index=False), start=1):
        revenue = int(row.revenue)
        cells = [str(rank), csv_text(row.product_id), money(revenue),
                 fixed(float(revenue) / float(total), 4), str(int(row.units)),
                 str(int(row.orders)), str(int(row.customers))]
        if row.product_id in sentiment.index:
            cells += [fixed(float(sentiment.at[row.product_id, "mean"]), 4),
                      str(int(sentiment.at[row.product_id, "size"]))]
        else:
            cells += ["", "0"]
        if prev_revenue is None:
            cells += ["", "", ""]
        else:
            before = int(prev_revenue.get(row.product_id, 0))
            delta = revenue - before
            pct = "new" if before == 0 else fixed(float(delta) / float(before) * 100.0, 2)
            cells += [money(before), money(delta), pct]
        lines.append(",".join(cells))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
