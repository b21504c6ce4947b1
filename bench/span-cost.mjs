// Per-span cost: this agent's SDK vs the OpenTelemetry JS SDK (BasicTracerProvider +
// BatchSpanProcessor), side by side in one process, alternating rounds.
// Both feed a batch processor whose exporter discards, so the figure is the SDK's own
// cost per span (start, attributes, end, enqueue), not the transport's.
// Run: npm run build && node bench/span-cost.mjs   (ROUNDS=, SPANS= to tune)
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const api = require('@opentelemetry/api');
const { ROOT_CONTEXT, trace, SpanKind } = api;

const ROUNDS = Number(process.env.ROUNDS || 9);
const SPANS = Number(process.env.SPANS || 50_000);
const discard = { export: async () => ({ ok: true, code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
const bsp = { scheduleDelayMs: 5000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 };

// --- Waymark
const { readConfig } = require('../build/src/config.js');
const { Tracer } = require('../build/src/sdk/tracer.js');
const { BatchSpanProcessor } = require('../build/src/sdk/batch-span-processor.js');
const { createSampler } = require('../build/src/sdk/sampler.js');
const config = readConfig({});
const ours = new Tracer({ name: 'bench' }, {
  sample: createSampler('parentbased_always_on', 1),
  limits: config.limits,
  sink: new BatchSpanProcessor({ export: async () => ({ ok: true }), shutdown: async () => {} }, bsp),
});

// --- OpenTelemetry JS SDK
const otel = require('@opentelemetry/sdk-trace-base');
const otelVersion = require('@opentelemetry/sdk-trace-base/package.json').version;
const provider = new otel.BasicTracerProvider({
  spanProcessors: [new otel.BatchSpanProcessor(discard, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 })],
});
const theirs = provider.getTracer('bench');

const cases = {
  'start+end': (t) => t.startSpan('op', undefined, ROOT_CONTEXT).end(),
  'start+end, 4 attributes': (t) => {
    const s = t.startSpan('op', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    s.setAttribute('http.request.method', 'GET');
    s.setAttribute('url.path', '/users/42');
    s.setAttribute('http.response.status_code', 200);
    s.setAttribute('server.port', 8080);
    s.end();
  },
  'parent + 3 children (per span)': (t) => {
    const p = t.startSpan('parent', undefined, ROOT_CONTEXT);
    const ctx = trace.setSpan(ROOT_CONTEXT, p);
    t.startSpan('c1', undefined, ctx).end();
    t.startSpan('c2', undefined, ctx).end();
    t.startSpan('c3', undefined, ctx).end();
    p.end();
  },
};
const spansPerCall = { 'start+end': 1, 'start+end, 4 attributes': 1, 'parent + 3 children (per span)': 4 };

function measure(tracer, fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(tracer);
  return Number(process.hrtime.bigint() - t0) / n;
}
const tick = () => new Promise((r) => setImmediate(r));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

const results = {};
for (const [name, fn] of Object.entries(cases)) {
  const calls = Math.round(SPANS / spansPerCall[name]);
  measure(ours, fn, calls); measure(theirs, fn, calls); // warm-up
  await tick();
  const a = [], b = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first; yield between so queued batches drain.
    if (r % 2) { a.push(measure(ours, fn, calls)); await tick(); b.push(measure(theirs, fn, calls)); }
    else { b.push(measure(theirs, fn, calls)); await tick(); a.push(measure(ours, fn, calls)); }
    await tick();
  }
  const w = median(a) / spansPerCall[name];
  const o = median(b) / spansPerCall[name];
  results[name] = { waymark_ns: Math.round(w), otel_ns: Math.round(o), ratio: +(w / o).toFixed(2) };
}
console.log(`node ${process.version}, @opentelemetry/sdk-trace-base ${otelVersion}, ${ROUNDS} alternating rounds of ${SPANS} spans, median ns per span`);
console.table(results);
if (process.env.JSON_OUT) require('node:fs').writeFileSync(process.env.JSON_OUT, JSON.stringify(results, null, 2));
process.exit(0);
