import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupTraces } from '../../src/view/query';
import { readSpanFile } from '../../src/view/span-file';
import { mainRoot, walkTree, type SpanNode, type TraceTree } from '../../src/view/trace-tree';
import { ROOT } from '../helpers/paths';
import { runNode, type NodeRun } from '../helpers/run-node';

/*
 * examples/catalog end to end: a Koa gateway and a gRPC catalog service that logs with
 * pino, both under `node --require register.js`. Each request is one trace: the Koa route's
 * server span, the gateway's gRPC CLIENT span under it, the catalog's SERVER span under that
 * (from the call's metadata, in the other process), and the catalog's log lines carry that
 * span's ids. No HTTP/2 span of the gRPC calls appears beside the RPC spans.
 */

const RUN = path.join(ROOT, 'examples/catalog/run.js');
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

let dir: string;
let result: NodeRun;
let traces: TraceTree[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'waymark-catalog-'));
  const out = path.join(dir, 'spans.jsonl');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_')) env[k] = v;
  result = await runNode([RUN, '--out', out, '--no-color'], { env, timeoutMs: 60_000 });
  traces = groupTraces((await readSpanFile(out).catch(() => ({ spans: [] }))).spans);
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nodes = (t: TraceTree): SpanNode[] => walkTree(t).map((r) => r.node);

/** The one trace whose gateway route is `route` and whose RPC is `method`. */
function traceOf(route: string, method: string, status: number): TraceTree {
  const found = traces.filter(
    (t) => mainRoot(t)?.span.name === route && mainRoot(t)?.span.attributes['http.response.status_code'] === status && nodes(t).some((n) => n.span.name === `catalog.Catalog/${method}`),
  );
  expect(found, `one trace of ${route} (${status})`).toHaveLength(1);
  return found[0]!;
}

/** Its three spans: route SERVER, gRPC CLIENT (gateway), gRPC SERVER (catalog), each the child of the previous. */
function chainOf(t: TraceTree, method: string): [SpanNode, SpanNode, SpanNode] {
  const all = nodes(t);
  expect(all.map((n) => n.span.name).filter((n) => /^(GET|POST)$/.test(n)), 'no bare HTTP/2 span of a gRPC call').toEqual([]);
  const root = mainRoot(t)!;
  const c = all.find((n) => n.span.kind === CLIENT && n.span.name === `catalog.Catalog/${method}`)!;
  const s = all.find((n) => n.span.kind === SERVER && n.span.name === `catalog.Catalog/${method}`)!;
  expect(root.span).toMatchObject({ service: 'gateway', kind: SERVER, parentSpanId: '' });
  expect(c.span).toMatchObject({ service: 'gateway', parentSpanId: root.span.spanId });
  expect(c.span.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': 'catalog.Catalog', 'rpc.method': method, 'server.address': '127.0.0.1' });
  expect(s.span).toMatchObject({ service: 'catalog', parentSpanId: c.span.spanId });
  expect(all).toHaveLength(3);
  return [root, c, s];
}

/** The catalog's pino lines (relayed on the runner's stderr) that carry a trace id. */
function logLines(): Array<{ trace_id: string; span_id: string; msg: string }> {
  return result.stderr
    .split('\n')
    .map((l) => /\[catalog\] (\{.*\})$/.exec(l)?.[1])
    .filter((j): j is string => j !== undefined)
    .map((j) => JSON.parse(j) as { trace_id: string; span_id: string; msg: string })
    .filter((l) => l.trace_id !== undefined);
}

describe('the catalog demo: Koa gateway → gRPC catalog → pino', () => {
  it('runs to completion and prints three requests and three trees', () => {
    expect(result.code, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/200 {2}GET \/api\/products\/1 /);
    expect(result.stdout).toMatch(/404 {2}GET \/api\/products\/99 /);
    expect(result.stdout).toMatch(/200 {2}GET \/api\/products\?tag=tools /);
    expect(result.stdout.match(/^Trace [0-9a-f]{32} · /gm)).toHaveLength(3);
    expect(result.stdout).toMatch(/catalog +└─ catalog\.Catalog\/GetProduct/);
  });

  it('a unary call: one trace across both services, and the log line inside it names the catalog span', () => {
    const t = traceOf('GET /api/products/:id', 'GetProduct', 200);
    const [, c, s] = chainOf(t, 'GetProduct');
    expect(c.span.attributes['rpc.grpc.status_code']).toBe(0);
    expect(s.span.attributes['rpc.grpc.status_code']).toBe(0);
    expect(new Set(t.services)).toEqual(new Set(['gateway', 'catalog']));
    const line = logLines().find((l) => l.msg === 'product found');
    expect(line).toMatchObject({ trace_id: s.span.traceId, span_id: s.span.spanId });
  });

  it('NOT_FOUND: an error on the gateway CLIENT span only; the gateway answers 404', () => {
    const t = traceOf('GET /api/products/:id', 'GetProduct', 404);
    const [root, c, s] = chainOf(t, 'GetProduct');
    expect(c.span.status.code).toBe(ERROR);
    expect(c.span.attributes['rpc.grpc.status_code']).toBe(5);
    expect(s.span.status.code).not.toBe(ERROR);
    expect(s.span.attributes['rpc.grpc.status_code']).toBe(5);
    expect(root.span.status.code).not.toBe(ERROR);
    expect(logLines().find((l) => l.msg === 'product not found')).toMatchObject({ trace_id: s.span.traceId, span_id: s.span.spanId });
  });

  it('a server-streaming call: one span per side for the whole stream', () => {
    const t = traceOf('GET /api/products', 'ListProducts', 200);
    const [, , s] = chainOf(t, 'ListProducts');
    expect(logLines().find((l) => l.msg === 'listing products')).toMatchObject({ trace_id: s.span.traceId, span_id: s.span.spanId });
  });
});
