'use strict';
// A Koa gateway calling a gRPC catalog service that logs with pino, both traced with zero
// code changes: the runner starts the local viewer (`waymark view`) in this process, the
// two services under `node --require waymark/register.js`, sends three requests and prints
// one tree per trace. The catalog's log lines (relayed on stderr) carry the trace ids.
//
//   node examples/catalog/run.js [--out spans.jsonl] [--no-color]
const http = require('node:http');
const { parseArgs } = require('node:util');
const { startChild, stopChild } = require('../microservices/lib/children');

let view;
try {
  view = require('../../build/src/view');
} catch (err) {
  process.stderr.write(`The compiled agent is missing: run \`npm run build\` first (${err.message}).\n`);
  process.exit(1);
}

const REQUESTS = [
  { path: '/api/products/1', note: 'a unary call: Koa route → gRPC client → gRPC server (logs with pino)' },
  { path: '/api/products/99', note: 'NOT_FOUND: an error for the gRPC client, not for the server' },
  { path: '/api/products?tag=tools', note: 'a server-streaming call: three products in one span' },
];

const print = (text) => process.stdout.write(text);
const log = (text) => process.stderr.write(text);

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' }, color: { type: 'boolean' }, 'no-color': { type: 'boolean' } } });
  const color = values['no-color'] ? false : values.color || (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  let held = [];
  let gatewayTraces = 0;
  let wake = () => {};
  const viewer = await view.startViewer({
    port: 0,
    out: values.out,
    color,
    write: (text) => (held ? held.push(text) : print(text)),
    onTrace: (tree) => {
      if (view.mainRoot(tree)?.span.service === 'gateway') gatewayTraces++;
      wake();
    },
  });
  const services = [];
  try {
    const env = tracedEnv(viewer.endpoint);
    const catalog = startChild({ name: 'catalog', file: '../catalog/catalog.js', env: { ...env, OTEL_SERVICE_NAME: 'catalog', PORT: '0' }, traced: true, log });
    services.push(catalog);
    const catalogReady = await catalog.ready;
    const gateway = startChild({
      name: 'gateway',
      file: '../catalog/gateway.js',
      env: { ...env, OTEL_SERVICE_NAME: 'gateway', PORT: '0', CATALOG_ADDR: `127.0.0.1:${catalogReady.port}` },
      traced: true,
      log,
    });
    services.push(gateway);
    const gatewayReady = await gateway.ready;
    print(`Waymark demo: Koa gateway → gRPC catalog (pino logs), traced with zero code changes\n  viewer    ${viewer.url}\n\nRequests:\n`);
    for (const r of REQUESTS) {
      const status = await get(`http://127.0.0.1:${gatewayReady.port}${r.path}`);
      print(`  ${status}  GET ${r.path.padEnd(24)} ${r.note}\n`);
    }
    print(`\nTraces:\n\n`);
    for (const text of held) print(text);
    held = undefined;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      wake = () => gatewayTraces >= REQUESTS.length && (clearTimeout(timer), resolve());
      wake();
    });
  } finally {
    await Promise.all(services.map((s) => stopChild(s)));
    await viewer.close();
    if (held) for (const text of held) print(text);
  }
  if (gatewayTraces < REQUESTS.length) {
    log(`\nOnly ${gatewayTraces} of ${REQUESTS.length} traces arrived. Is the build current (npm run build)?\n`);
    return 1;
  }
  return 0;
}

/** The environment of a traced service: OTLP/HTTP protobuf to the viewer, quickly. */
function tracedEnv(endpoint) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_')) delete env[key];
  return { ...env, OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
}

/** GETs `url`; resolves with the status. */
function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log(`demo failed: ${err.message}\n`);
    process.exit(1);
  },
);
