// Cost per log record of the trace fields (pino, winston, bunyan): records/s of each library
// with the agent's wrapper and without it, side by side in one process, alternating rounds,
// inside a span and outside any. "Without" is the library's own function the agent wrapped
// (pino's factory, winston's Logger#write, bunyan's Logger#_emit), so both sides share the
// process, the loaded agent and its context manager: the difference is the wrapper's work
// plus the library writing three more fields. "By hand" is the unwrapped logger given the
// same three fields in each call, as an app that adds them itself would: the library's own
// share. Each logger writes JSON to a stream that drops it: formatting, not I/O.
// Run: npm run build && node bench/log-cost.mjs   (ROUNDS=9 RECORDS=50000, JSON_OUT=file)
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';

process.env.OTEL_TRACES_EXPORTER ??= 'none';
process.env.OTEL_SERVICE_NAME ??= 'log-cost';
const require = createRequire(import.meta.url);
require('../register.js');
const { trace, context, ROOT_CONTEXT } = require('@opentelemetry/api');
const { getOriginal, isWrapped } = require('../build/src/instrument/wrap.js');

const ROUNDS = Number(process.env.ROUNDS || 9);
const RECORDS = Number(process.env.RECORDS || 50_000);
const drop = { write() {} };
const dropStream = () => new Writable({ objectMode: true, write: (_c, _e, cb) => cb() });

const pino = require('pino');
const winston = require('winston');
const bunyan = require('bunyan');
const WinstonLogger = require('winston/lib/winston/logger.js');
for (const [name, fn] of [['pino', pino], ['winston Logger#write', WinstonLogger.prototype.write], ['bunyan Logger#_emit', bunyan.prototype._emit]]) {
  if (!isWrapped(fn)) throw new Error(`${name} is not wrapped: is the agent built?`);
}

// What the agent adds inside a span, as literals (for the by-hand variant).
const FIELDS = { trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' };

// One logger per library and side; each logs the same record.
const loggers = {
  pino: {
    agent: pino({ base: null }, drop),
    none: getOriginal(pino)({ base: null }, drop),
    log: (l, i) => l.info({ user: i, path: '/users/42' }, 'handled request'),
    byHand: (l, i) => l.info({ user: i, path: '/users/42', ...FIELDS }, 'handled request'),
  },
  winston: (() => {
    const make = () => winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Stream({ stream: dropStream() })] });
    const none = make();
    none.write = getOriginal(WinstonLogger.prototype.write);
    return {
      agent: make(),
      none,
      log: (l, i) => l.info('handled request', { user: i, path: '/users/42' }),
      byHand: (l, i) => l.info('handled request', { user: i, path: '/users/42', ...FIELDS }),
    };
  })(),
  bunyan: (() => {
    const make = () => bunyan.createLogger({ name: 'bench', stream: drop });
    const none = make();
    none._emit = getOriginal(bunyan.prototype._emit);
    return {
      agent: make(),
      none,
      log: (l, i) => l.info({ user: i, path: '/users/42' }, 'handled request'),
      byHand: (l, i) => l.info({ user: i, path: '/users/42', ...FIELDS }, 'handled request'),
    };
  })(),
};

function measure(logger, log, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) log(logger, i);
  return Number(process.hrtime.bigint() - t0) / n;
}
const tick = () => new Promise((r) => setImmediate(r));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const tracer = trace.getTracer('bench');
const where = {
  'inside a span': (fn) => tracer.startActiveSpan('request', (span) => { try { return fn(); } finally { span.end(); } }),
  'outside any span': (fn) => context.with(ROOT_CONTEXT, fn),
};

const results = [];
for (const [lib, { agent, none, log, byHand }] of Object.entries(loggers)) {
  for (const [place, run] of Object.entries(where)) {
    const inside = place === 'inside a span';
    // The variants of this row; by hand only inside a span (outside, the agent adds nothing).
    const variants = [['with', () => measure(agent, log, RECORDS)], ['without', () => measure(none, log, RECORDS)]];
    if (inside) variants.push(['by hand', () => measure(none, byHand, RECORDS)]);
    run(() => variants.forEach(([, m]) => m())); // warm-up
    await tick();
    const samples = Object.fromEntries(variants.map(([k]) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate which goes first; yield between so stream callbacks run.
      for (let k = 0; k < variants.length; k++) {
        const [name, m] = variants[(r + k) % variants.length];
        samples[name].push(run(m));
        await tick();
      }
    }
    const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    results.push({
      library: lib,
      where: place,
      'records/s without': Math.round(1e9 / ns.without),
      'records/s with': Math.round(1e9 / ns.with),
      'with / without': +(ns.with / ns.without).toFixed(2),
      'records/s by hand': inside ? Math.round(1e9 / ns['by hand']) : '',
      'with / by hand': inside ? +(ns.with / ns['by hand']).toFixed(2) : '',
    });
  }
}
const versions = ['pino', 'winston', 'bunyan'].map((n) => `${n} ${require(`${n}/package.json`).version}`).join(', ');
console.log(`node ${process.version}, ${versions}; ${ROUNDS} alternating rounds of ${RECORDS} records, medians`);
console.table(results);
if (process.env.JSON_OUT) require('node:fs').writeFileSync(process.env.JSON_OUT, JSON.stringify({ date: new Date().toISOString(), node: process.version, versions, results }, null, 2));
process.exit(0);
