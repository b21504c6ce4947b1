// Per-span cost of the OTLP protobuf encoder (`encodeTraceRequestProto`) on spans made by
// the real SDK: 512-span batches of SERVER spans with 12 HTTP attributes, each span
// encoded exactly once (as in the exporter: ids are words and no hex has been built yet).
//
// Run: npm run build && node --expose-gc bench/encode-cost.mjs
//   ROUNDS=9 BATCHES=20   rounds, and 512-span batches encoded per variant per round
//   PARENT=none|remote|local   the spans' parent (default none: root spans, as in a
//                         hello-world load test; remote: an incoming traceparent)
//   BUILD=<dir>           the tsc output to take the SDK and encoder from (default build/)
//   BASELINE=<path to another build's otlp-proto-encoder.js>   also measure that encoder,
//                         alternating with this build's in every round (same spans shape,
//                         same process), and check both write identical bytes.
// Output: median ns per span over the rounds (timing covers the encode calls only; the
// spans of each round are built beforehand, and a GC is forced before timing if exposed).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, SpanKind, trace } = require('@opentelemetry/api');
const build = path.resolve(process.env.BUILD || new URL('../build', import.meta.url).pathname);
const { readConfig } = require(`${build}/src/config.js`);
const { Tracer } = require(`${build}/src/sdk/tracer.js`);
const { createSampler } = require(`${build}/src/sdk/sampler.js`);
const current = require(`${build}/src/export/otlp-proto-encoder.js`).encodeTraceRequestProto;

const ROUNDS = Number(process.env.ROUNDS || 9);
const BATCHES = Number(process.env.BATCHES || 20);
const BATCH = 512;
const PARENT = process.env.PARENT || 'none';
const baselinePath = process.env.BASELINE;
const baseline = baselinePath ? require(path.resolve(baselinePath)).encodeTraceRequestProto : undefined;

const resource = {
  attributes: {
    'service.name': 'hello-fastify',
    'service.version': '1.0.0',
    'telemetry.sdk.name': 'waymark',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': '0.1.0',
    'process.pid': process.pid,
  },
};

let finished = [];
const config = readConfig({});
const tracer = new Tracer({ name: 'waymark-http', version: '0.1.0' }, {
  sample: createSampler('parentbased_always_on', 1),
  limits: config.limits,
  sink: { onEnd: (span) => finished.push(span) },
});

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const remoteParent = () =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: require('node:crypto').randomBytes(16).toString('hex'),
    spanId: require('node:crypto').randomBytes(8).toString('hex'),
    traceFlags: 1,
    isRemote: true,
  });
const localRoot = tracer.startSpan('root', undefined, ROOT_CONTEXT);
const localParent = trace.setSpan(ROOT_CONTEXT, localRoot);

/** One batch of finished SERVER spans, created and ended by the SDK as an instrumentation would. */
function makeBatch() {
  finished = [];
  for (let i = 0; i < BATCH; i++) {
    const ctx = PARENT === 'remote' ? remoteParent() : PARENT === 'local' ? localParent : ROOT_CONTEXT;
    const span = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER }, ctx);
    span.setAttribute('http.request.method', 'GET');
    span.setAttribute('url.path', `/users/${i}`);
    span.setAttribute('url.scheme', 'http');
    span.setAttribute('server.address', 'localhost');
    span.setAttribute('server.port', 3000);
    span.setAttribute('network.protocol.version', '1.1');
    span.setAttribute('user_agent.original', UA);
    span.setAttribute('client.address', '127.0.0.1');
    span.setAttribute('network.peer.address', '127.0.0.1');
    span.setAttribute('network.peer.port', 40000 + (i % 20000));
    span.setAttribute('http.response.status_code', 200);
    span.setAttribute('http.route', '/users/:id');
    span.end();
  }
  return finished;
}

const gc = globalThis.gc ?? (() => {});
let sink = 0;

/** ns per span for one round of `encode` over fresh batches. */
function round(encode) {
  const batches = [];
  for (let b = 0; b < BATCHES; b++) batches.push(makeBatch());
  gc();
  const t0 = process.hrtime.bigint();
  for (const spans of batches) sink += encode(resource, spans).length;
  return Number(process.hrtime.bigint() - t0) / (BATCHES * BATCH);
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

// Correctness first: on the same fresh spans, both encoders must write the same bytes.
let bytesPerSpan;
{
  const spans = makeBatch();
  const mine = Buffer.from(current(resource, spans));
  bytesPerSpan = Math.round(mine.length / BATCH);
  if (baseline) {
    const theirs = Buffer.from(baseline(resource, spans));
    if (!mine.equals(theirs)) throw new Error('current and baseline encoders disagree');
  }
}

const variants = baseline ? { current, baseline } : { current };
const names = Object.keys(variants);
const results = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) round(variants[n]); // warm-up
for (const n of names) round(variants[n]);
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? [...names].reverse() : names;
  for (const n of order) results[n].push(round(variants[n]));
}

const out = {
  node: process.version,
  parent: PARENT,
  batch: BATCH,
  batchesPerRound: BATCHES,
  rounds: ROUNDS,
  bytesPerSpan,
  gcForced: globalThis.gc !== undefined,
};
for (const n of names) {
  const sorted = [...results[n]].sort((x, y) => x - y);
  out[`${n}_ns_per_span`] = Math.round(median(results[n]));
  out[`${n}_min_max`] = [Math.round(sorted[0]), Math.round(sorted.at(-1))];
}
if (baseline) out.speedup = +(median(results.baseline) / median(results.current)).toFixed(2);
console.log(JSON.stringify(out, null, 2));
if (sink === 0) console.log('');
