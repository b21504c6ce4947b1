// The web UI's two budgets, measured on the build:
// - search: GET /api/traces over 100,000 stored spans (10,000 traces of 10 spans), the
//   page's queries (service + duration, error=true, operation, everything); the first
//   answer (summaries computed) and the median and slowest of the rest;
// - a 10,000-span trace opening in Chromium: from navigation to the waterfall's rows drawn,
//   then the frame time of scroll jumps through it (rows are virtualized).
// Writes bench/results/viewer-<date>.json.
//
//   npm run build && node bench/viewer.mjs   (ROUNDS=20 OPENS=5; needs chromium on PATH)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';

const require = createRequire(import.meta.url);
const view = require('../build/src/view');
const { chromium } = require('playwright-core');

const ROUNDS = Number(process.env.ROUNDS ?? 20);
const OPENS = Number(process.env.OPENS ?? 5);
const T0 = BigInt(Date.now() - 3_600_000) * 1_000_000n;

/** A 10-span request across services, in the demo's shape; one in 50 fails, one in 100 is slow. */
function request(n) {
  const traceId = n.toString(16).padStart(32, '0');
  const start = T0 + BigInt(n) * 300_000_000n;
  const slow = n % 100 === 7;
  const failed = n % 50 === 13;
  const ms = (x) => (start + BigInt(Math.round(x * 1e6))).toString();
  const s = (i, parent, service, name, kind, a, b, attrs = {}, error = false) => ({
    traceId,
    spanId: (n * 16 + i).toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? '' : (n * 16 + parent).toString(16).padStart(16, '0'),
    name,
    kind,
    service,
    startTimeUnixNano: ms(a),
    endTimeUnixNano: ms(b),
    status: error ? { code: 2, message: 'boom' } : { code: 0, message: '' },
    attributes: attrs,
    events: [],
    resource: resourceOf(service),
    scope: { name: 'bench', version: '1' },
  });
  const db = slow ? 1200 : 3 + (n % 17);
  return [
    s(0, undefined, 'gateway', 'GET /api/users/:id', 2, 0, db + 30, { 'http.response.status_code': failed ? 500 : 200 }, failed),
    s(1, 0, 'gateway', 'POST', 3, 1, 6),
    s(2, 1, 'auth', 'POST /validate', 2, 2, 5),
    s(3, 0, 'gateway', 'GET', 3, 7, db + 28, {}, failed),
    s(4, 3, 'users', 'GET /users/:id', 2, 8, db + 26, {}, failed),
    s(5, 4, 'users', 'GET', 3, 9, 10),
    s(6, 4, 'users', 'pg.connect', 3, 10, 11),
    s(7, 4, 'users', 'SELECT users', 3, 12, db + 12, { 'db.system.name': 'postgresql' }),
    s(8, 4, 'users', 'SET', 3, db + 13, db + 15),
    s(9, 0, `svc-${n % 5}`, 'audit.write', 1, 6, 7),
  ];
}

/** A service's resource as an agent sends it (one object per service, as the decoders share it). */
const resources = new Map();
function resourceOf(service) {
  if (!resources.has(service)) {
    resources.set(service, {
      'service.name': service,
      'telemetry.sdk.name': 'waymark',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '0.1.0',
      'process.pid': 4242,
      'process.executable.name': 'node',
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '20.20.2',
      'host.name': 'bench-host-01',
      'host.arch': 'amd64',
      'os.type': 'linux',
    });
  }
  return resources.get(service);
}

function bigTrace() {
  const traceId = 'b'.repeat(32);
  const spans = [];
  for (let i = 0; i < 10_000; i++) {
    const parent = i ? Math.floor((i - 1) / 10) : undefined;
    spans.push({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: parent === undefined ? '' : (parent + 1).toString(16).padStart(16, '0'),
      name: `operation ${i}`,
      kind: 1,
      service: `service-${i % 9}`,
      startTimeUnixNano: (T0 + BigInt(i) * 10_000n).toString(),
      endTimeUnixNano: (T0 + 2_000_000_000n - BigInt(i) * 10_000n).toString(),
      status: { code: 0, message: '' },
      attributes: { 'item.index': i },
      events: [],
      resource: resourceOf(`service-${i % 9}`),
      scope: { name: 'bench', version: '1' },
    });
  }
  return spans;
}

/**
 * CPU milliseconds used so far by this process's descendants: Chromium's processes (Linux
 * /proc; utime + stime in clock ticks of 10 ms). Unlike wall time, it does not grow when
 * other work on the machine keeps a process waiting for a core.
 */
function childrenCpuMs(rootPid = process.pid, byType) {
  const stats = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    if (pid !== rootPid) {
      total += stats.get(pid)?.ticks ?? 0;
      if (byType) {
        const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'main';
        byType[type] = (byType[type] ?? 0) + (stats.get(pid)?.ticks ?? 0) * 10;
      }
    }
    for (const [child, st] of stats) if (st.ppid === pid) stack.push(child);
  }
  return total * 10;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

const viewer = await view.startViewer({ port: 0, ui: { port: 0 }, write: false, warn: () => {} });
const results = { date: new Date().toISOString(), node: process.version, loadAverageAtStart: loadavg()[0], search: {}, open: {} };
try {
  const all = [];
  for (let n = 0; n < 10_000; n++) all.push(...request(n));
  let t = performance.now();
  viewer.load(all);
  results.loadMs = round(performance.now() - t);
  results.storedSpans = viewer.store.stats.spans;

  const queries = {
    'service=users, minDuration=1s': 'service=users&minDuration=1s',
    'error=true': 'tags=error%3Dtrue',
    'service=users, operation=SELECT users': 'service=users&operation=SELECT%20users&limit=100',
    'everything (limit 20)': '',
    'http.response.status_code=500, lookback 2h': 'tags=http.response.status_code%3D500&lookback=2h',
  };
  let first = true;
  for (const [label, q] of Object.entries(queries)) {
    const times = [];
    let found;
    for (let i = 0; i <= ROUNDS; i++) {
      t = performance.now();
      const res = await fetch(`${viewer.ui.url}/api/traces?${q}`);
      const body = await res.json();
      times.push(performance.now() - t);
      found = body.total;
    }
    const [cold, ...warm] = times;
    results.search[label] = { total: found, firstMs: round(cold), medianMs: round(median(warm)), maxMs: round(Math.max(...warm)), firstOfRun: first };
    first = false;
  }

  viewer.load(bigTrace());
  const browser = await chromium.launch({ executablePath: execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim(), args: ['--headless', '--no-sandbox'] });
  try {
    const opens = [];
    const inPage = [];
    const phases = [];
    const cpu = [];
    let frames = [];
    // The same for a 10-span trace of the store: what any page open costs in Chromium.
    const small = { wall: [], renderer: [] };
    for (let i = 0; i < OPENS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      const before = {};
      childrenCpuMs(process.pid, before);
      t = performance.now();
      await page.goto(`${viewer.ui.url}/trace/${'0'.repeat(32)}`);
      await page.waitForSelector('.trace-page[data-state=ready] .wf-row');
      small.wall.push(performance.now() - t);
      const after = {};
      childrenCpuMs(process.pid, after);
      small.renderer.push((after.renderer ?? 0) - (before.renderer ?? 0));
      await page.close();
    }
    results.openTenSpans = { navigationToRowsMs: round(median(small.wall)), chromiumRendererCpuMs: round(median(small.renderer)) };

    for (let i = 0; i < OPENS; i++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      const types0 = {};
      const cpu0 = { browser: childrenCpuMs(process.pid, types0), viewer: process.cpuUsage() };
      t = performance.now();
      await page.goto(`${viewer.ui.url}/trace/${'b'.repeat(32)}`);
      await page.waitForSelector('.trace-page[data-state=ready] .wf-row');
      opens.push(performance.now() - t);
      const viewerCpu = process.cpuUsage(cpu0.viewer);
      // This process also runs Playwright's side of the protocol: the viewer's share is at most this.
      const types1 = {};
      cpu.push({
        browser: childrenCpuMs(process.pid, types1) - cpu0.browser,
        renderer: (types1.renderer ?? 0) - (types0.renderer ?? 0),
        viewerAndDriver: (viewerCpu.user + viewerCpu.system) / 1000,
      });
      inPage.push(await page.evaluate(() => performance.now()));
      phases.push(
        await page.evaluate(() => {
          const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
          return { request: at('trace:request'), received: at('trace:received'), model: at('trace:model'), drawn: at('trace:drawn') };
        }),
      );
      if (i === OPENS - 1) {
        // Jumps through the trace: each waits for the frame that draws the rows in view.
        frames = await page.evaluate(async () => {
          const el = document.querySelector('#waterfall-rows');
          const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
          const out = [];
          for (let j = 0; j < 60; j++) {
            const t0 = performance.now();
            el.scrollTop = ((j * 7919) % 100) * (el.scrollHeight / 100);
            await frame();
            await frame();
            out.push(performance.now() - t0);
          }
          return out;
        });
      }
      await page.close();
    }
    results.open = {
      spans: 10_000,
      navigationToRowsMs: { median: round(median(opens)), max: round(Math.max(...opens)), all: opens.map(round) },
      inPageSinceNavigationStartMs: { median: round(median(inPage)), max: round(Math.max(...inPage)) },
      // CPU time of the open (Chromium's processes; this process: the viewer serving it, plus the driver), medians.
      cpuMs: {
        chromium: round(median(cpu.map((c) => c.browser))),
        chromiumRenderer: round(median(cpu.map((c) => c.renderer))),
        viewerAndDriver: round(median(cpu.map((c) => c.viewerAndDriver))),
        sum: round(median(cpu.map((c) => c.browser + c.viewerAndDriver))),
      },
      // Medians, in the page: page load to the trace's request, the request (server JSON, transfer, parse), the tree and critical path, the first draw.
      phasesMs: {
        pageToRequest: round(median(phases.map((p) => p.request))),
        fetchAndParse: round(median(phases.map((p) => p.received - p.request))),
        treeAndCriticalPath: round(median(phases.map((p) => p.model - p.received))),
        firstDraw: round(median(phases.map((p) => p.drawn - p.model))),
      },
      scrollJumpTwoFramesMs: { median: round(median(frames)), max: round(Math.max(...frames)) },
    };
  } finally {
    await browser.close();
  }
} finally {
  await viewer.close();
}

results.loadAverageAtEnd = loadavg()[0];
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/viewer-${results.date.replace(/[:.]/g, '-')}.json`, import.meta.url);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
console.log(`written to bench/results/${file.pathname.split('/').pop()}`);
