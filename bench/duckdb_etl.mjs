#!/usr/bin/env node
// The DuckDB peer of `make bench`: salespipe's ETL (DESIGN.md section 3) as SQL in an in-memory
// DuckDB, driven from Node through @duckdb/node-api (its package ships the native library).
//
// It writes what `salespipe etl --no-warehouse-db --no-fingerprints` writes for the same inputs:
// OUT/data_warehouse/processed_sales_data.csv (one row per loaded sale, joined with the latest
// review of its product and customer) and OUT/data_warehouse/rejects.csv (one row per rejected
// record, sorted by source then line), and prints one JSON line of counts on stdout.
//
// The SQL is what a DuckDB user writes: read_csv with all_varchar, read_json with JSON-typed
// columns, regexp_extract for prices, try_strptime per date shape, aggregates for the date
// evidence, window functions for duplicates and the latest review, a left join, COPY ... TO.
//
// Where DuckDB cannot see what salespipe sees, the script says so instead of guessing:
// - a sales record's line is its position in the table + 2 (header = line 1): read_csv skips
//   blank lines and has no line column, so that is the physical line only when the file has no
//   blank lines and no quoted field spans lines (generated files without --hard-faults);
// - a review's line is the line of the n-th line holding a '{', from a second scan of the file
//   as plain lines: the element's opening brace when objects are flat, one per line at most
//   (the script stops when that count differs from the count of records).
//
// Usage: node duckdb_etl.mjs --sales CSV --feedback JSON --out DIR

import { mkdirSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';

const SALES_FIELDS = ['sale_id', 'product_id', 'customer_id', 'sale_price', 'quantity', 'sale_date'];
const CURRENCY = String.raw`(?:\$|€|£|(?i:USD|EUR|GBP))`;
// [sign] [currency] [sign] number [currency]; the number thousands-grouped (first group 1-3
// digits not starting with 0) or plain, then 1-4 decimals. RE2 has no look-ahead, so a leading
// sign not followed by a currency lands in s1 and counts as the number's sign.
const PRICE_RE =
  String.raw`^([-+])?(` + CURRENCY + String.raw`[ \t]*)?([-+])?([1-9]\d{0,2}(?:,\d{3})+|\d+)` +
  String.raw`(?:\.(\d{1,4}))?([ \t]*` + CURRENCY + ')?$';
const QUANTITY_RE = String.raw`^(\d+)(?:\.0+)?$`;
const SENTIMENT_RE = String.raw`^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$`;
const INFINITY_RE = String.raw`^-?(?i:inf|infinity)$`;
const MAX_WHOLE = 922337203685477n; // largest whole part of int64 1/10000 units
const UNIT_SEP = '\x1f'; // a byte no JSON text holds unescaped: one column per physical line

const { values: args } = parseArgs({
  options: { sales: { type: 'string' }, feedback: { type: 'string' }, out: { type: 'string' } },
});
for (const name of ['sales', 'feedback', 'out']) {
  if (!args[name]) {
    console.error(`usage: duckdb_etl.mjs --sales CSV --feedback JSON --out DIR (missing --${name})`);
    process.exit(2);
  }
}

const lit = (text) => `'${String(text).replaceAll("'", "''")}'`;
const ident = (name) => `"${String(name).replaceAll('"', '""')}"`;
const canonical = (name) =>
  name.trim().toLowerCase().replace(/[\s_-]+/g, '_').replace(/^_+|_+$/g, '');

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
// DUCKDB_ETL_TIMINGS=1 prints each statement's wall time on stderr (to see where time goes).
const timings = Boolean(process.env.DUCKDB_ETL_TIMINGS);
const run = async (sql) => {
  const start = performance.now();
  const result = await db.run(sql);
  if (timings) {
    const what = sql.trim().split('\n')[0].slice(0, 70);
    console.error(`${((performance.now() - start) / 1000).toFixed(2).padStart(7)} s  ${what}`);
  }
  return result;
};
const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJS();

// SQL pieces shared by both inputs ---------------------------------------------------------

/** The raw text as messages show it: cut after 64 characters with a marker. */
const quoted = (raw) =>
  `(CASE WHEN length(${raw}) > 64 THEN substr(${raw}, 1, 64) || '…[truncated]' ELSE ${raw} END)`;

/** The trimmed date text without its time part ('T' only after a year-first date). */
const withoutTime = (raw) => `(CASE WHEN length(trim(${raw}, ' \t')) > 10
  THEN regexp_replace(regexp_replace(trim(${raw}, ' \t'),
         '^(\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{8})T\\d.*$', '\\1'), '[ \t]+\\d.*$', '')
  ELSE trim(${raw}, ' \t') END)`;

// Each date column goes through the same three steps: read every shape, gather the column's
// evidence over every row, resolve the ambiguous values.
async function cleanDates(table, rawColumn, prefix) {
  const t = `${prefix}_dates`;
  await run(`CREATE TEMP TABLE ${t} AS
    WITH cut AS (
      SELECT k, ${withoutTime(rawColumn)} AS d FROM ${table}
    ), shaped AS (
      SELECT k, d,
        substr(d, 5, 1) IN ('-', '/', '.') OR (length(d) = 8 AND regexp_full_match(d, '\\d{8}'))
          AS year_first,
        CASE WHEN length(d) >= 5 THEN substr(d, length(d) - 4, 1) ELSE '' END AS sep
      FROM cut
    ), read AS (
      SELECT k, d, year_first, sep,
        CASE WHEN year_first THEN try_strptime(d, ['%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d'])::DATE END AS yf,
        CASE WHEN NOT year_first THEN CASE sep
          WHEN '-' THEN try_strptime(d, '%d-%m-%Y') WHEN '/' THEN try_strptime(d, '%d/%m/%Y')
          WHEN '.' THEN try_strptime(d, '%d.%m.%Y') END::DATE END AS dmy,
        CASE WHEN NOT year_first THEN CASE sep
          WHEN '-' THEN try_strptime(d, '%m-%d-%Y') WHEN '/' THEN try_strptime(d, '%m/%d/%Y')
          WHEN '.' THEN try_strptime(d, '%m.%d.%Y') END::DATE END AS mdy
      FROM shaped
    )
    SELECT k,
      CASE WHEN d = '' THEN 'missing'
           WHEN year(coalesce(yf, dmy, mdy)) = 0 THEN 'bad'
           WHEN yf IS NOT NULL OR dmy IS NOT NULL OR mdy IS NOT NULL THEN 'ok'
           ELSE 'bad' END AS status,
      CASE WHEN yf IS NOT NULL THEN yf
           WHEN dmy IS NOT NULL AND mdy IS NOT NULL AND dmy = mdy THEN dmy
           WHEN dmy IS NOT NULL AND mdy IS NULL THEN dmy
           WHEN mdy IS NOT NULL AND dmy IS NULL THEN mdy END AS date,
      CASE WHEN dmy IS NOT NULL AND mdy IS NOT NULL AND dmy <> mdy THEN dmy END AS amb_dmy,
      CASE WHEN dmy IS NOT NULL AND mdy IS NOT NULL AND dmy <> mdy THEN mdy END AS amb_mdy,
      sep,
      CASE WHEN dmy IS NOT NULL AND mdy IS NULL THEN 'dmy'
           WHEN mdy IS NOT NULL AND dmy IS NULL THEN 'mdy' END AS evidence
    FROM read`);
  // The range of unambiguous dates and the evidence, over every row of the file.
  await run(`CREATE TEMP TABLE ${t}_rule AS
    WITH ev AS (
      SELECT sep, count(*) FILTER (WHERE evidence = 'dmy') AS d,
             count(*) FILTER (WHERE evidence = 'mdy') AS m
      FROM ${t} WHERE evidence IS NOT NULL GROUP BY sep
    ), total AS (SELECT sum(d) AS d, sum(m) AS m FROM ev)
    SELECT s.sep,
      (SELECT min(date) FROM ${t}) AS lo, (SELECT max(date) FROM ${t}) AS hi,
      CASE WHEN coalesce(ev.d, 0) <> coalesce(ev.m, 0) THEN ev.d > ev.m
           WHEN coalesce(total.d, 0) <> coalesce(total.m, 0) THEN total.d > total.m
           ELSE false END AS choose_dmy
    FROM (SELECT unnest(['-', '/', '.']) AS sep) s LEFT JOIN ev USING (sep), total`);
  await run(`CREATE TEMP TABLE ${t}_resolved AS
    SELECT k, status,
      CASE WHEN amb_dmy IS NULL THEN date
           WHEN (amb_dmy BETWEEN lo AND hi) AND NOT coalesce(amb_mdy BETWEEN lo AND hi, false)
             THEN amb_dmy
           WHEN (amb_mdy BETWEEN lo AND hi) AND NOT coalesce(amb_dmy BETWEEN lo AND hi, false)
             THEN amb_mdy
           WHEN choose_dmy THEN amb_dmy ELSE amb_mdy END AS date
    FROM ${t} LEFT JOIN ${t}_rule USING (sep)`);
  await run(`DROP TABLE ${t}; DROP TABLE ${t}_rule`);
  return `${t}_resolved`;
}

// Sales -------------------------------------------------------------------------------------

await run(`CREATE TEMP TABLE sales_raw AS SELECT * FROM read_csv(${lit(args.sales)},
  header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`);
const columns = (await rows(`DESCRIBE sales_raw`)).map((r) => r.column_name);
const byField = new Map();
for (const name of columns) {
  const c = canonical(name);
  if (SALES_FIELDS.includes(c)) byField.set(c, name);
}
for (const field of SALES_FIELDS) {
  if (!byField.has(field) && field !== 'quantity') {
    console.error(`${args.sales}: required column "${field}" is missing`);
    process.exit(3);
  }
}
const extras = columns.filter((name) => !SALES_FIELDS.includes(canonical(name)));
const raw = (field) => (byField.has(field) ? `coalesce(${ident(byField.get(field))}, '')` : `''`);

await run(`CREATE TEMP TABLE s AS SELECT rowid AS k, rowid + 2 AS line,
  ${SALES_FIELDS.map((f) => `${raw(f)} AS raw_${f}`).join(', ')}
  ${extras.map((e, i) => `, coalesce(${ident(e)}, '') AS x${i}`).join('')}
  FROM sales_raw`);
await run(`DROP TABLE sales_raw`);
const saleDates = await cleanDates('s', 'raw_sale_date', 'sale');

await run(`CREATE TEMP TABLE s_clean AS
  WITH p AS (
    SELECT k, line, raw_sale_id, raw_product_id, raw_customer_id, raw_sale_price, raw_quantity,
      raw_sale_date ${extras.map((e, i) => `, x${i}`).join('')},
      trim(raw_sale_id, ' \t') AS sale_id,
      upper(trim(raw_product_id, ' \t')) AS product_id,
      upper(trim(raw_customer_id, ' \t')) AS customer_id,
      trim(raw_sale_price, ' \t') = '' AS price_missing,
      regexp_extract(trim(raw_sale_price, ' \t'), ${lit(PRICE_RE)},
                     ['s1', 'c1', 's2', 'whole', 'frac', 'c2']) AS pm,
      trim(raw_quantity, ' \t') = '' AS quantity_missing,
      try_cast(nullif(regexp_extract(trim(raw_quantity, ' \t'), ${lit(QUANTITY_RE)}, 1), '')
               AS BIGINT) AS q,
      dt.status AS date_status, dt.date AS sale_date
    FROM s JOIN ${saleDates} dt USING (k)
  ), v AS (
    SELECT * EXCLUDE (pm), pm.whole <> '' AS matched, pm.s1 = '-' OR pm.s2 = '-' AS negative,
      (pm.s1 <> '' AND pm.s2 <> '') OR (pm.c1 <> '' AND pm.c2 <> '') AS doubled,
      replace(pm.whole, ',', '') AS digits, rpad(pm.frac, 4, '0') AS frac
    FROM p
  ), w0 AS (
    SELECT * EXCLUDE (digits, frac), try_cast(digits AS BIGINT) AS whole, frac::BIGINT AS frac
    FROM v
  ), w AS (
    SELECT * EXCLUDE (whole, frac),
      matched AND (whole IS NULL OR whole > ${MAX_WHOLE} OR (whole = ${MAX_WHOLE} AND frac > 5807))
        AS too_big,
      CASE WHEN matched AND whole <= ${MAX_WHOLE} AND NOT (whole = ${MAX_WHOLE} AND frac > 5807)
           THEN whole * 10000 + frac END AS units_read
    FROM w0
  ), x AS (
    SELECT * EXCLUDE (matched, negative, doubled, too_big, units_read, q),
      sale_id = '' AS sale_id_missing, product_id = '' AS product_missing,
      customer_id = '' AS customer_missing,
      NOT price_missing AND (NOT matched OR doubled OR too_big) AS price_bad,
      NOT price_missing AND matched AND NOT doubled AND NOT too_big
        AND (negative OR units_read = 0) AS price_nonpositive,
      NOT quantity_missing AND (q IS NULL OR q <= 0) AS quantity_bad,
      units_read AS units,
      CASE WHEN quantity_missing THEN 1 ELSE q END AS quantity,
      date_status = 'missing' AS date_missing, date_status = 'bad' AS date_bad
    FROM w
  )
  SELECT * EXCLUDE (date_status),
    NOT (sale_id_missing OR product_missing OR customer_missing OR price_missing OR price_bad
         OR price_nonpositive OR quantity_bad)
      AND units::DOUBLE * quantity > 9223372036854775807 AS overflow
  FROM x`);
await run(`DROP TABLE s; DROP TABLE ${saleDates}`);

const salesChecks = [
  ['sale_id', 'sale_id_missing', 'missing_sale_id'],
  ['product_id', 'product_missing', 'missing_product_id'],
  ['customer_id', 'customer_missing', 'missing_customer_id'],
  ['sale_price', 'price_missing', 'missing_price'],
  ['sale_price', 'price_bad', 'bad_price'],
  ['sale_price', 'price_nonpositive', 'nonpositive_price'],
  ['quantity', '(quantity_bad OR overflow)', 'bad_quantity'],
  ['sale_date', 'date_missing', 'missing_date'],
  ['sale_date', 'date_bad', 'bad_date'],
];
const failedSale = salesChecks.map(([, mask]) => mask).join(' OR ');
const firstOf = (checks, pick) =>
  `CASE ${checks.map((c) => `WHEN ${c[1]} THEN ${pick(c)}`).join(' ')} END`;
const qp = quoted('raw_sale_price');
const qq = quoted('raw_quantity');
const qd = quoted('raw_sale_date');

await run(`CREATE TEMP TABLE rejects (source VARCHAR, line BIGINT, "column" VARCHAR,
  raw_value VARCHAR, reason VARCHAR, message VARCHAR)`);
await run(`INSERT INTO rejects SELECT ${lit(args.sales)}, line,
    ${firstOf(salesChecks, (c) => lit(c[0]))},
    ${firstOf(salesChecks, (c) => `raw_${c[0]}`)},
    ${firstOf(salesChecks, (c) => lit(c[2]))},
    concat_ws('; ',
      CASE WHEN sale_id_missing THEN 'sale_id: missing' END,
      CASE WHEN product_missing THEN 'product_id: missing' END,
      CASE WHEN customer_missing THEN 'customer_id: missing' END,
      CASE WHEN price_missing THEN 'sale_price: missing'
           WHEN price_bad THEN 'sale_price: cannot read "' || ${qp} || '" as a price'
           WHEN price_nonpositive THEN 'sale_price: "' || ${qp} || '" is not a positive price' END,
      CASE WHEN quantity_bad THEN 'quantity: "' || ${qq} || '" is not a positive whole number'
           WHEN overflow THEN 'quantity: price times quantity overflows' END,
      CASE WHEN date_missing THEN 'sale_date: missing'
           WHEN date_bad THEN 'sale_date: cannot read "' || ${qd} || '" as a real date' END)
  FROM s_clean WHERE ${failedSale}`);

// Duplicates: the first loaded record of each sale_id stays; a later one equal in every cleaned
// value and extra column is dropped, one that differs is a duplicate_sale_id reject.
const compare = [
  ['product_id', 'product_id'], ['customer_id', 'customer_id'], ['units', 'sale_price'],
  ['quantity', 'quantity'], ['sale_date', 'sale_date'],
  ...extras.map((e, i) => [`x${i}`, e]),
];
await run(`CREATE TEMP TABLE valid AS
  SELECT line, sale_id, product_id, customer_id, units, quantity, sale_date
    ${extras.map((e, i) => `, x${i}`).join('')},
    row_number() OVER (PARTITION BY sale_id ORDER BY line) AS nth
  FROM s_clean WHERE NOT (${failedSale})`);
await run(`DROP TABLE s_clean`);
await run(`CREATE TEMP TABLE repeats AS
  SELECT later.line, later.sale_id, first.line AS first_line,
    CASE ${compare.map(([c, name]) => `WHEN later.${c} IS DISTINCT FROM first.${c} THEN ${lit(name)}`).join(' ')}
    END AS differs_in
  FROM valid later JOIN valid first ON first.sale_id = later.sale_id AND first.nth = 1
  WHERE later.nth > 1`);
await run(`INSERT INTO rejects SELECT ${lit(args.sales)}, line, 'sale_id', sale_id,
    'duplicate_sale_id', 'sale_id ' || sale_id || ' was loaded from line ' || first_line ||
    '; this record differs in ' || differs_in
  FROM repeats WHERE differs_in IS NOT NULL`);

// Reviews -----------------------------------------------------------------------------------

const head = Buffer.alloc(4096);
const fd = openSync(args.feedback, 'r');
const headBytes = readSync(fd, head, 0, head.length, 0);
closeSync(fd);
const isArray = head.subarray(0, headBytes).toString('utf8').replace(/^\uFEFF/, '').trimStart()
  .startsWith('[');
await run(`CREATE TEMP TABLE r_raw AS SELECT * FROM read_json(${lit(args.feedback)},
  format = ${isArray ? "'array'" : "'newline_delimited'"},
  columns = {customer_id: 'JSON', product_id: 'JSON', sentiment_score: 'JSON', review_date: 'JSON'})`);
// The line of each element: the n-th physical line holding a '{'.
await run(`CREATE TEMP TABLE json_lines AS SELECT * FROM read_csv(${lit(args.feedback)},
  columns = {'t': 'VARCHAR'}, header = false, delim = '${UNIT_SEP}', quote = '', escape = '',
  auto_detect = false)`);
await run(`CREATE TEMP TABLE r_lines AS
  SELECT row_number() OVER (ORDER BY rowid) - 1 AS k, rowid + 1 AS line
  FROM json_lines WHERE contains(t, '{')`);
await run(`DROP TABLE json_lines`);
const [{ records, braces }] = await rows(`SELECT (SELECT count(*) FROM r_raw) AS records,
  (SELECT count(*) FROM r_lines) AS braces`);
if (records !== braces) {
  console.error(`${args.feedback}: ${braces} lines with '{' for ${records} records: line numbers ` +
    'need flat objects, at most one per line');
  process.exit(3);
}

// kind: VARCHAR, a number type, BOOLEAN, ARRAY, OBJECT, NULL, or SQL NULL for an absent key.
const kindName = (k) => `CASE ${k} WHEN 'BOOLEAN' THEN 'a boolean' WHEN 'ARRAY' THEN 'an array'
  WHEN 'OBJECT' THEN 'an object' WHEN 'VARCHAR' THEN 'a string' ELSE 'a number' END`;
const cellText = (c) => `CASE WHEN ${c} IS NULL THEN '' WHEN json_type(${c}) = 'VARCHAR'
  THEN ${c} ->> '$' ELSE CAST(${c} AS VARCHAR) END`;
await run(`CREATE TEMP TABLE r AS
  SELECT r_raw.rowid AS k, r_lines.line,
    coalesce(json_type(customer_id), 'ABSENT') AS customer_kind, ${cellText('customer_id')} AS raw_customer_id,
    coalesce(json_type(product_id), 'ABSENT') AS product_kind, ${cellText('product_id')} AS raw_product_id,
    coalesce(json_type(sentiment_score), 'ABSENT') AS score_kind, ${cellText('sentiment_score')} AS raw_sentiment_score,
    coalesce(json_type(review_date), 'ABSENT') AS date_kind, ${cellText('review_date')} AS raw_review_date
  FROM r_raw JOIN r_lines ON r_lines.k = r_raw.rowid`);
await run(`DROP TABLE r_raw; DROP TABLE r_lines`);
await run(`CREATE TEMP TABLE r_text AS
  SELECT k, CASE WHEN date_kind = 'VARCHAR' THEN raw_review_date ELSE '' END AS date_text FROM r`);
const reviewDates = await cleanDates('r_text', 'date_text', 'review');

const NUMBER_KINDS = "('UBIGINT', 'BIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE')";
const isId = (kind) => `${kind} NOT IN ('VARCHAR', 'UBIGINT', 'BIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE')`;
const isBlank = (kind, text) =>
  `(${kind} IN ('ABSENT', 'NULL') OR (${kind} = 'VARCHAR' AND trim(${text}, ' \t') = ''))`;
await run(`CREATE TEMP TABLE r_clean AS
  WITH p AS (
    SELECT r.*, dt.status AS date_status, dt.date AS review_date,
      upper(trim(raw_customer_id, ' \t')) AS customer_id,
      upper(trim(raw_product_id, ' \t')) AS product_id,
      trim(raw_sentiment_score, ' \t') AS score_text
    FROM r JOIN ${reviewDates} dt USING (k)
  ), q AS (
    SELECT *,
      ${isBlank('customer_kind', 'raw_customer_id')} OR ${isId('customer_kind')} OR customer_id = ''
        AS customer_bad,
      ${isBlank('product_kind', 'raw_product_id')} OR ${isId('product_kind')} OR product_id = ''
        AS product_bad,
      ${isBlank('score_kind', 'raw_sentiment_score')} AS score_missing,
      score_kind IN ('BOOLEAN', 'ARRAY', 'OBJECT') AS not_a_score,
      -- A JSON number is read as it is; only a string goes through the number grammar.
      CASE WHEN score_kind IN ${NUMBER_KINDS} THEN try_cast(score_text AS DOUBLE)
           WHEN score_kind = 'VARCHAR' AND (regexp_full_match(score_text, ${lit(SENTIMENT_RE)})
             OR regexp_full_match(score_text, ${lit(INFINITY_RE)}))
           THEN try_cast(score_text AS DOUBLE) END AS score,
      ${isBlank('date_kind', 'raw_review_date')} AS date_missing
    FROM p
  )
  SELECT *,
    NOT score_missing AND (not_a_score OR score IS NULL) AS score_bad,
    NOT score_missing AND NOT not_a_score AND score IS NOT NULL AND NOT (score BETWEEN 1 AND 5)
      AS score_range,
    NOT date_missing AND (date_kind <> 'VARCHAR' OR date_status <> 'ok') AS date_bad
  FROM q`);
await run(`DROP TABLE r; DROP TABLE r_text; DROP TABLE ${reviewDates}`);

const reviewChecks = [
  ['customer_id', 'customer_bad', 'missing_customer_id'],
  ['product_id', 'product_bad', 'missing_product_id'],
  ['sentiment_score', 'score_missing', 'missing_sentiment'],
  ['sentiment_score', 'score_bad', 'bad_sentiment'],
  ['sentiment_score', 'score_range', 'sentiment_out_of_range'],
  ['review_date', 'date_missing', 'missing_date'],
  ['review_date', 'date_bad', 'bad_date'],
];
const failedReview = reviewChecks.map(([, mask]) => mask).join(' OR ');
const literalRaw = (kind, text) =>
  `CASE WHEN ${kind} = 'NULL' THEN 'null' ELSE ${text} END`;
const idMessage = (field, bad, kind) => `CASE WHEN ${bad} AND ${kind} IN ('BOOLEAN', 'ARRAY', 'OBJECT')
  THEN '${field}: ' || ${kindName(kind)} || ' is not an identifier'
  WHEN ${bad} THEN '${field}: missing' END`;
const qs = quoted('raw_sentiment_score');
const qr = quoted('raw_review_date');
await run(`INSERT INTO rejects SELECT ${lit(args.feedback)}, line,
    ${firstOf(reviewChecks, (c) => lit(c[0]))},
    ${firstOf(reviewChecks, (c) => {
      const kind = { customer_id: 'customer_kind', product_id: 'product_kind',
        sentiment_score: 'score_kind', review_date: 'date_kind' }[c[0]];
      return literalRaw(kind, `raw_${c[0]}`);
    })},
    ${firstOf(reviewChecks, (c) => lit(c[2]))},
    concat_ws('; ',
      ${idMessage('customer_id', 'customer_bad', 'customer_kind')},
      ${idMessage('product_id', 'product_bad', 'product_kind')},
      CASE WHEN score_missing THEN 'sentiment_score: missing'
           WHEN not_a_score THEN 'sentiment_score: ' || ${kindName('score_kind')} || ' is not a score'
           WHEN score_bad THEN 'sentiment_score: cannot read "' || ${qs} || '" as a number'
           WHEN score_range THEN 'sentiment_score: ' || ${qs} || ' is outside [1, 5]' END,
      CASE WHEN date_missing THEN 'review_date: missing'
           WHEN date_bad AND date_kind <> 'VARCHAR'
             THEN 'review_date: ' || ${kindName('date_kind')} || ' is not a date'
           WHEN date_bad THEN 'review_date: cannot read "' || ${qr} || '" as a real date' END)
  FROM r_clean WHERE ${failedReview}`);

// The latest review per (product, customer): the later date wins, then the later record.
await run(`CREATE TEMP TABLE latest AS
  SELECT product_id, customer_id, score, review_date
  FROM r_clean WHERE NOT (${failedReview})
  QUALIFY row_number() OVER (PARTITION BY product_id, customer_id
                             ORDER BY review_date DESC, k DESC) = 1`);

// Outputs -----------------------------------------------------------------------------------

const warehouse = join(args.out, 'data_warehouse');
mkdirSync(warehouse, { recursive: true });
// Money with two decimals, half away from zero (amounts are positive here, and the
// cleaning rejected every product that overflows int64), from exact units.
const money = (units) => `(((${units}) + 50) // 100 // 100)::VARCHAR || '.' ||
  lpad(((((${units}) + 50) // 100) % 100)::VARCHAR, 2, '0')`;
await run(`COPY (
  SELECT v.sale_id, v.product_id, v.customer_id, ${money('v.units')} AS sale_price, v.quantity,
    strftime(v.sale_date, '%Y-%m-%d') AS sale_date,
    ${money('v.units * v.quantity')} AS total_revenue,
    l.score::VARCHAR AS sentiment_score, strftime(l.review_date, '%Y-%m-%d') AS review_date
    ${extras.map((e, i) => `, nullif(v.x${i}, '') AS ${ident(e)}`).join('')}
  FROM valid v LEFT JOIN latest l USING (product_id, customer_id)
  WHERE v.nth = 1 ORDER BY v.line
) TO ${lit(join(warehouse, 'processed_sales_data.csv'))} (HEADER, DELIMITER ',')`);
await run(`COPY (
  SELECT source, line, "column", nullif(raw_value, '') AS raw_value, reason, message
  FROM rejects ORDER BY source, line
) TO ${lit(join(warehouse, 'rejects.csv'))} (HEADER, DELIMITER ',')`);

const [counts] = await rows(`SELECT
  (SELECT count(*) FROM valid) + (SELECT count(*) FROM rejects WHERE source = ${lit(args.sales)}
     AND reason <> 'duplicate_sale_id') AS sales_read,
  (SELECT count(*) FROM valid WHERE nth = 1) AS loaded,
  (SELECT count(*) FROM rejects WHERE source = ${lit(args.sales)}) AS sales_rejected,
  (SELECT count(*) FROM repeats WHERE differs_in IS NULL) AS exact_duplicates,
  (SELECT count(*) FROM valid v ANTI JOIN latest l USING (product_id, customer_id)
     WHERE v.nth = 1) AS without_review,
  (SELECT count(*) FROM r_clean) AS reviews_read,
  (SELECT count(*) FROM r_clean WHERE NOT (${failedReview})) AS valid_reviews,
  (SELECT count(*) FROM rejects WHERE source = ${lit(args.feedback)}) AS reviews_rejected,
  (SELECT count(*) FROM latest) AS latest`);
const n = (v) => Number(v);
console.log(JSON.stringify({
  sales: {
    read: n(counts.sales_read), loaded: n(counts.loaded), rejected: n(counts.sales_rejected),
    exact_duplicates: n(counts.exact_duplicates), without_review: n(counts.without_review),
  },
  reviews: {
    read: n(counts.reviews_read), valid: n(counts.valid_reviews),
    rejected: n(counts.reviews_rejected), latest: n(counts.latest),
    superseded: n(counts.valid_reviews) - n(counts.latest),
  },
}));
