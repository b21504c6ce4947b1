import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/view/critical-path';
import { groupTraces } from '../../src/view/query';
import { readSpanFile } from '../../src/view/span-file';
import { mainRoot, walkTree, type SpanNode, type TraceTree } from '../../src/view/trace-tree';
import { ROOT } from '../helpers/paths';
import { runNode, type NodeRun } from '../helpers/run-node';

/*
 * `npm run demo` end to end: the runner starts the viewer, an embedded PostgreSQL and the
 * three services under `node --require register.js`, sends its four requests and exits.
 * What the viewer received (its --out file) must hold one trace per request, each across
 * the services, with the database span under the users service's server span.
 */

const RUN = path.join(ROOT, 'examples/microservices/run.js');
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

function runDemo(out: string): Promise<NodeRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && k !== 'DATABASE_URL') env[k] = v;
  // Deterministic: the embedded database, and no cache (port 1 refuses at once).
  env.REDIS_URL = 'redis://127.0.0.1:1';
  return runNode([RUN, '--out', out, '--no-color'], { env, timeoutMs: 100_000 });
}

function ancestors(node: SpanNode, tree: TraceTree): SpanNode[] {
  const byId = new Map(walkTree(tree).map((r) => [r.node.span.spanId, r.node]));
  const chain: SpanNode[] = [];
  for (let p = byId.get(node.span.parentSpanId); p; p = byId.get(p.span.parentSpanId)) chain.push(p);
  return chain;
}

const nodes = (t: TraceTree): SpanNode[] => walkTree(t).map((r) => r.node);
const durationMs = (n: SpanNode): number => (n.end - n.start) / 1e6;
const isDbSpan = (n: SpanNode): boolean => n.span.service === 'users' && n.span.kind === CLIENT && /^(SELECT|pg\.query)/.test(n.span.name);

let dir: string;
let result: NodeRun;
let traces: TraceTree[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'waymark-demo-'));
  const out = path.join(dir, 'spans.jsonl');
  result = await runDemo(out);
  traces = groupTraces((await readSpanFile(out).catch(() => ({ spans: [] }))).spans);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the microservices demo (spawned processes)', () => {
  it('runs to completion and prints the requests and four traces', () => {
    expect(result.code, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/200 {2}GET \/api\/users\/1 /);
    expect(result.stdout).toMatch(/200 {2}GET \/api\/users\/7 /);
    expect(result.stdout).toMatch(/502 {2}GET \/api\/users\/13 /);
    expect(result.stdout).toMatch(/401 {2}GET \/api\/users\/2 /);
    expect(result.stdout.match(/^Trace [0-9a-f]{32} · /gm)).toHaveLength(4);
    expect(result.stdout).toMatch(/users +└─ SELECT users {2}← BOTTLENECK \d/);
  });

  it('the viewer received one gateway-rooted trace per request', () => {
    const rooted = traces.filter((t) => t.hasRoot && mainRoot(t)!.span.service === 'gateway');
    expect(rooted).toHaveLength(4);
    for (const t of rooted) {
      expect(mainRoot(t)!.span).toMatchObject({ name: 'GET /api/users/:id', kind: SERVER, parentSpanId: '' });
      expect(t.roots.filter((r) => r.orphan)).toEqual([]);
    }
  });

  it('the slow request is one trace across the three services, the DB span under the users server span, and the bottleneck', () => {
    const slow = traces.find((t) => nodes(t).some((n) => isDbSpan(n) && durationMs(n) >= 1000));
    expect(slow, 'a trace with a users DB span of at least 1 s').toBeDefined();
    expect(new Set(slow!.services)).toEqual(new Set(['gateway', 'auth', 'users']));

    const db = nodes(slow!).find((n) => isDbSpan(n) && durationMs(n) >= 1000)!;
    const chain = ancestors(db, slow!);
    const usersServer = chain.find((n) => n.span.kind === SERVER);
    expect(usersServer?.span).toMatchObject({ service: 'users', name: 'GET /users/:id' });
    const gatewayClient = chain[chain.indexOf(usersServer!) + 1];
    expect(gatewayClient?.span).toMatchObject({ service: 'gateway', kind: CLIENT });
    expect(chain[chain.length - 1]).toBe(mainRoot(slow!));

    const authServer = nodes(slow!).find((n) => n.span.service === 'auth' && n.span.kind === SERVER)!;
    expect(authServer.span.name).toBe('POST /validate');
    expect(ancestors(authServer, slow!)[0]!.span).toMatchObject({ service: 'gateway', kind: CLIENT });

    expect(criticalPath(mainRoot(slow!)!).bottleneck).toBe(db);
  });

  it('the failing request is marked as an error in users and at the gateway', () => {
    const failing = traces.find((t) => nodes(t).some((n) => n.span.service === 'users' && n.span.kind === SERVER && n.span.status.code === ERROR));
    expect(failing, 'a trace whose users server span failed').toBeDefined();
    expect(mainRoot(failing!)!.span.status.code).toBe(ERROR);
    expect(mainRoot(failing!)!.span.attributes['http.response.status_code']).toBe(502);
  });

  it('the rejected token stops at the auth service', () => {
    const rejected = traces.find((t) => nodes(t).some((n) => n.span.service === 'auth' && n.span.attributes['http.response.status_code'] === 401));
    expect(rejected, 'a trace where auth answered 401').toBeDefined();
    expect(new Set(rejected!.services)).toEqual(new Set(['gateway', 'auth']));
    expect(mainRoot(rejected!)!.span.attributes['http.response.status_code']).toBe(401);
  });
});
