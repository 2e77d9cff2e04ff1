// Browser check of the HTML report (DESIGN.md section 12): Debian's Chromium, driven by
// playwright-core, opens reports/report.html from a file:// URL and must see no console error, no
// request other than the file itself, the charts drawn, and a full-page screenshot that is not
// blank.
//
//   node browser_check.mjs --salespipe BIN --seed DIR --work DIR   # etl, segment, analyze, check
//   node browser_check.mjs --report FILE [--screenshot OUT.png]     # check an existing report
//
// Exit 0 when every check passes, 1 when one fails, 77 (skip) when node's playwright-core,
// Chromium or the seed is missing, unless CI=true: there a missing tool is a failure.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

const SKIP = 77;
const inCi = process.env.CI === 'true';
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

function fail(message) {
  console.error(`browser_check: FAIL: ${message}`);
  process.exit(1);
}

function skip(message) {
  if (inCi) {
    fail(`${message} (a skip is a failure when CI=true)`);
  }
  console.log(`browser_check: SKIP: ${message}`);
  process.exit(SKIP);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) {
      fail(`bad arguments near "${key}"; see the comment at the top of the script`);
    }
    args[key.slice(2)] = argv[i + 1];
  }
  return args;
}

// playwright-core lives in tools/browser/node_modules (`npm install --prefix tools/browser`).
function loadPlaywright() {
  const prefix = process.env.SALESPIPE_BROWSER_TOOLS ?? path.join(repo, 'tools', 'browser');
  try {
    return createRequire(path.join(prefix, 'package.json'))('playwright-core');
  } catch {
    skip(`playwright-core is not installed: run npm install --prefix ${prefix}`);
  }
}

// Runs etl, segment and analyze on the seed with the real salespipe binary; returns the report.
function generateReport(args) {
  const seed = args.seed;
  const sales = path.join(seed ?? '', 'sale_price.csv');
  const feedback = path.join(seed ?? '', 'customer_feedback.json');
  if (!seed || !existsSync(sales) || !existsSync(feedback)) {
    skip(`the seed inputs are not in "${seed}"`);
  }
  const out = path.join(args.work, 'out');
  rmSync(out, { recursive: true, force: true });
  const run = (command, extra) => {
    try {
      execFileSync(args.salespipe, [command, ...extra, '--out', out, '--quiet'], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    } catch (error) {
      fail(`salespipe ${command} failed (${error.status ?? error.message})`);
    }
  };
  run('etl', ['--sales', sales, '--feedback', feedback]);
  run('segment', []);
  run('analyze', []);
  return path.join(out, 'reports', 'report.html');
}

// Counts pixels that are not near-white in an 8-bit RGB or RGBA PNG (what Chromium writes), so a
// screenshot of an empty page is told apart from a drawn one without any image library.
function nonWhitePixels(png) {
  const signature = '89504e470d0a1a0a';
  if (png.subarray(0, 8).toString('hex') !== signature) {
    fail('the screenshot is not a PNG');
  }
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      const interlace = body[12];
      channels = colour === 2 ? 3 : colour === 6 ? 4 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) {
        fail(`unexpected screenshot format (depth ${depth}, colour ${colour}, interlace ${interlace})`);
      }
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  let previous = Buffer.alloc(stride);
  let count = 0;
  for (let y = 0; y < height; ++y) {
    const start = y * (stride + 1);
    const filter = raw[start];
    const line = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
    for (let x = 0; x < stride; ++x) {
      const left = x >= channels ? line[x - channels] : 0;
      const up = previous[x];
      const upLeft = x >= channels ? previous[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (filter !== 0) {
        fail(`bad PNG filter ${filter} on row ${y}`);
      }
      line[x] = (line[x] + predictor) & 0xff;
    }
    for (let x = 0; x < stride; x += channels) {
      if (line[x] < 240 || line[x + 1] < 240 || line[x + 2] < 240) {
        ++count;
      }
    }
    previous = line;
  }
  return { width, height, count };
}

async function check(playwright, reportPath, screenshotPath) {
  const executablePath = process.env.SALESPIPE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    skip(`Chromium is not installed at ${executablePath} (apt-get install chromium)`);
  }
  const reportUrl = pathToFileURL(path.resolve(reportPath)).href;
  const profile = mkdtempSync(path.join(tmpdir(), 'salespipe-chromium-'));
  const problems = [];
  let context;
  try {
    // A persistent context is how playwright takes a user-data-dir: a fresh one per run, so no
    // earlier profile, cache or extension can change what the page does.
    context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      timeout: 60000,
    });
    const requests = [];
    // Any request but the report itself is refused before it leaves and reported.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === reportUrl) {
        return route.continue();
      }
      requests.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console error: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      if (request.url() === reportUrl) {
        problems.push(`the report did not load: ${request.failure()?.errorText}`);
      }
    });
    const response = await page.goto(reportUrl, { waitUntil: 'load', timeout: 60000 });
    if (response !== null && !response.ok()) {
      problems.push(`loading the report answered ${response.status()}`);
    }
    for (const url of requests) {
      problems.push(`network request to ${url}`);
    }

    const facts = await page.evaluate(() => {
      const charts = [...document.querySelectorAll('figure svg')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, shapes: svg.querySelectorAll('path, use').length };
      });
      return {
        title: document.title,
        h1: document.querySelector('h1')?.textContent ?? '',
        scripts: document.scripts.length,
        resources: performance.getEntriesByType('resource').map((entry) => entry.name),
        charts,
        tables: document.querySelectorAll('table').length,
        pageWidth: document.documentElement.scrollWidth,
        viewportWidth: window.innerWidth,
      };
    });
    if (!facts.h1.startsWith('Sales report')) {
      problems.push(`the page heading is "${facts.h1}"`);
    }
    if (facts.scripts !== 0) {
      problems.push(`the page has ${facts.scripts} script elements`);
    }
    for (const name of facts.resources) {
      problems.push(`the page loaded a resource: ${name}`);
    }
    if (facts.charts.length < 2) {
      problems.push(`${facts.charts.length} inline charts, expected at least 2`);
    }
    facts.charts.forEach((chart, i) => {
      if (chart.width < 300 || chart.height < 150 || chart.shapes === 0) {
        problems.push(`chart ${i + 1} is ${chart.width}x${chart.height} with ${chart.shapes} shapes`);
      }
    });
    if (facts.tables < 3) {
      problems.push(`${facts.tables} tables, expected the products, data quality and inputs`);
    }
    if (facts.pageWidth > facts.viewportWidth) {
      problems.push(`the page is ${facts.pageWidth}px wide in a ${facts.viewportWidth}px window`);
    }

    const screenshot = await page.screenshot({ fullPage: true, type: 'png' });
    if (screenshotPath) {
      writeFileSync(screenshotPath, screenshot);
    }
    const pixels = nonWhitePixels(screenshot);
    const share = pixels.count / (pixels.width * pixels.height);
    // The page sits on a grey background around a white sheet, with text and two charts: far
    // more than a few percent of it is not white. A blank or unstyled page is nearly all white.
    if (pixels.height < 1500 || share < 0.05) {
      problems.push(
        `the screenshot looks blank: ${pixels.width}x${pixels.height}, ` +
          `${(100 * share).toFixed(1)}% non-white pixels`,
      );
    }
    if (problems.length > 0) {
      fail(problems.join('\n  '));
    }
    console.log(
      `browser_check: ok: "${facts.title}", ${facts.charts.length} charts, ${facts.tables} tables, ` +
        `no network request, screenshot ${pixels.width}x${pixels.height} with ` +
        `${(100 * share).toFixed(1)}% non-white pixels`,
    );
  } finally {
    if (context) {
      await context.close();
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

const args = parseArgs(process.argv.slice(2));
const playwright = loadPlaywright();
let report = args.report;
if (!report) {
  if (!args.salespipe || !args.work) {
    fail('give --report FILE, or --salespipe BIN --seed DIR --work DIR');
  }
  report = generateReport(args);
}
if (!existsSync(report)) {
  fail(`no report at ${report}`);
}
try {
  await check(playwright, report, args.screenshot);
} catch (error) {
  fail(error?.stack ?? String(error));
}
