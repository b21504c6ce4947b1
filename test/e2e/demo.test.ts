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
 * four services under `node --require register.js`, sends its four requests and exits.
 * What the viewer received (its --out file) must hold one trace per request, each across
 * the services, with the database span under the users service's server span, and for each
 * user returned the queue hop: users publishes on NATS, the activity worker (another
 * process) records the view, its spans under the users PRODUCER span in the same trace.
 * Without NATS the demo runs all the same, the hop skipped.
 */

const RUN = path.join(ROOT, 'examples/microservices/run.js');
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;
const ERROR = 2;
/** The machine's NATS (CI's .ci/run starts it); port 1 refuses at once. */
const NATS_URL = 'nats://127.0.0.1:4222';
const NO_NATS_URL = 'nats://127.0.0.1:1';

function runDemo(out: string, natsUrl: string): Promise<NodeRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && k !== 'DATABASE_URL') env[k] = v;
  // Deterministic: the embedded database, no cache (port 1 refuses at once: its GET and SET
  // spans would reshape the trees), and the queue hop on or off as the test asks.
  env.REDIS_URL = 'redis://127.0.0.1:1';
  env.NATS_URL = natsUrl;
  return runNode([RUN, '--out', out, '--no-color'], { env, timeoutMs: 100_000 });
}

async function demoTraces(out: string): Promise<TraceTree[]> {
  return groupTraces((await readSpanFile(out).catch(() => ({ spans: [] }))).spans);
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

const isGatewayRooted = (t: TraceTree): boolean => t.hasRoot && mainRoot(t)!.span.service === 'gateway';
const statusOf = (t: TraceTree): unknown => mainRoot(t)!.span.attributes['http.response.status_code'];

let dir: string;
let result: NodeRun;
let traces: TraceTree[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'waymark-demo-'));
  const out = path.join(dir, 'spans.jsonl');
  result = await runDemo(out, NATS_URL);
  traces = await demoTraces(out);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the microservices demo (spawned processes)', () => {
  it('runs to completion and prints the requests and four traces', () => {
    expect(result.code, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^  queue     NATS at ${NATS_URL}: users publishes demo-[0-9a-f]{6}\\.user\\.viewed, activity records it$`, 'm'));
    expect(result.stdout).toMatch(/200 {2}GET \/api\/users\/1 /);
    expect(result.stdout).toMatch(/200 {2}GET \/api\/users\/7 /);
    expect(result.stdout).toMatch(/502 {2}GET \/api\/users\/13 /);
    expect(result.stdout).toMatch(/401 {2}GET \/api\/users\/2 /);
    expect(result.stdout.match(/^Trace [0-9a-f]{32} · /gm)).toHaveLength(4);
    expect(result.stdout).toMatch(/users +[├└]─ SELECT users {2}← BOTTLENECK \d/);
    // The worker's spans, which can end after the gateway's root, are printed in its tree.
    expect(result.stdout.match(/^ +[\d.]+ [µm]?s +activity +└─ INSERT user_views$/gm)).toHaveLength(2);
  });

  it('the viewer received one gateway-rooted trace per request, and no other', () => {
    const rooted = traces.filter(isGatewayRooted);
    expect(rooted).toHaveLength(4);
    for (const t of rooted) {
      expect(mainRoot(t)!.span).toMatchObject({ name: 'GET /api/users/:id', kind: SERVER, parentSpanId: '' });
      expect(t.roots.filter((r) => r.orphan)).toEqual([]);
    }
    // A consumer that lost the producer's context would start a trace of its own.
    expect(traces.filter((t) => !isGatewayRooted(t)).map((t) => t.services)).toEqual([]);
  });

  it('each user returned crosses the queue: the activity process span under the users PRODUCER span, its INSERT under it', () => {
    // The subject is this run's (printed), so another demo on the same NATS sends its own.
    const subject = /users publishes (\S+),/.exec(result.stdout)?.[1];
    expect(subject).toMatch(/\.user\.viewed$/);
    const returned = traces.filter((t) => isGatewayRooted(t) && statusOf(t) === 200);
    expect(returned).toHaveLength(2);
    for (const t of returned) {
      const all = nodes(t);
      const byId = new Map(all.map((n) => [n.span.spanId, n]));
      const producers = all.filter((n) => n.span.kind === PRODUCER);
      expect(producers.map((n) => `${n.span.service} ${n.span.name}`)).toEqual([`users publish ${subject}`]);
      const publish = producers[0]!;
      expect(byId.get(publish.span.parentSpanId)?.span).toMatchObject({ service: 'users', kind: SERVER, name: 'GET /users/:id' });

      const consumers = all.filter((n) => n.span.kind === CONSUMER);
      expect(consumers.map((n) => `${n.span.service} ${n.span.name}`)).toEqual([`activity process ${subject}`]);
      const consume = consumers[0]!;
      expect(consume.span.traceId).toBe(publish.span.traceId);
      expect(consume.span.parentSpanId).toBe(publish.span.spanId);
      expect(consume.span.resource['process.pid']).toEqual(expect.any(Number));
      expect(consume.span.resource['process.pid']).not.toBe(publish.span.resource['process.pid']);

      const worker = all.filter((n) => n.span.service === 'activity' && n !== consume);
      expect(worker.map((n) => ({ name: n.span.name, kind: n.span.kind, parent: n.span.parentSpanId }))).toEqual([
        { name: 'INSERT user_views', kind: CLIENT, parent: consume.span.spanId },
      ]);
    }
  });

  it('the slow request is one trace across the four services, the DB span under the users server span, and the bottleneck', () => {
    const slow = traces.find((t) => nodes(t).some((n) => isDbSpan(n) && durationMs(n) >= 1000));
    expect(slow, 'a trace with a users DB span of at least 1 s').toBeDefined();
    expect(new Set(slow!.services)).toEqual(new Set(['gateway', 'auth', 'users', 'activity']));

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
    // Nothing was returned, so nothing was published.
    expect(new Set(failing!.services)).toEqual(new Set(['gateway', 'auth', 'users']));
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

describe('the microservices demo without NATS', () => {
  let bare: NodeRun;
  let bareTraces: TraceTree[];

  beforeAll(async () => {
    const out = path.join(dir, 'spans-without-nats.jsonl');
    bare = await runDemo(out, NO_NATS_URL);
    bareTraces = await demoTraces(out);
  }, 120_000);

  it('runs to completion, says the queue hop is skipped, and prints the four traces without it', () => {
    expect(bare.code, `exit code; stdout:\n${bare.stdout}\nstderr:\n${bare.stderr}`).toBe(0);
    expect(bare.stdout).toContain(`  queue     none (no NATS reachable at ${NO_NATS_URL}: the activity hop is skipped; set NATS_URL to use one)\n`);
    expect(bare.stdout.match(/^Trace [0-9a-f]{32} · /gm)).toHaveLength(4);
    expect(bareTraces.filter(isGatewayRooted)).toHaveLength(4);
    expect(bareTraces.filter((t) => !isGatewayRooted(t))).toEqual([]);
    const spans = bareTraces.flatMap(nodes).map((n) => n.span);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['gateway', 'auth', 'users']));
    expect(spans.filter((s) => s.kind === PRODUCER || s.kind === CONSUMER)).toEqual([]);
  });
});
