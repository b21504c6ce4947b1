import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver';
import { FIXTURES, ROOT } from '../../helpers/paths';
import { runNode, type NodeRun } from '../../helpers/run-node';

// Spawned apps under the built agent (`npm run build` first): CommonJS (`--require
// ./register.js`) and ESM (`--import ./register.mjs`) on graphql 15, 16 and 17 (17's main
// entry is ESM under both, through `module-sync`). Each app directory of
// test/fixtures/graphql links node_modules/graphql to the major under test; the agent names
// packages by directory, hence --preserve-symlinks.
const APPS = path.join(FIXTURES, 'graphql');
const INSTALLED: Record<string, string> = { v14: 'graphql14', v15: 'graphql15', v16: 'graphql', v17: 'graphql17' };

beforeAll(() => {
  for (const [dir, pkg] of Object.entries(INSTALLED)) {
    const link = path.join(APPS, dir, 'node_modules', 'graphql');
    if (existsSync(link)) continue;
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules', pkg), link, 'dir');
  }
});

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

type Preload = 'none' | 'require' | 'import';

function run(dir: string, preload: Preload, env: Record<string, string> = {}): Promise<NodeRun> {
  const entry = path.join(APPS, dir, preload === 'import' ? 'app.mjs' : 'app.cjs');
  const flags = preload === 'require' ? ['--require', './register.js'] : preload === 'import' ? ['--import', './register.mjs'] : [];
  return runNode(['--preserve-symlinks', ...flags, entry], { env: { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, ...env } });
}

function resultOf(r: NodeRun): { version: string; results: unknown[] } {
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  expect(line, r.stdout + r.stderr).toBeDefined();
  return JSON.parse(line!.slice('RESULT '.length)) as { version: string; results: unknown[] };
}

/** The spans a run of `service` exported, once `n` of them are in. */
async function spansOf(service: string, n: number): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const mine = receiver.spans().filter((s) => attributeMap(s.resource)['service.name'] === service);
    if (mine.length >= n || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const MATRIX = (['v15', 'v16', 'v17'] as const).flatMap((dir) => (['require', 'import'] as const).map((preload) => ({ dir, major: dir.slice(1), preload })));

describe('graphql in spawned apps', () => {
  it.each(MATRIX)('graphql $major, --$preload: the app sees what it sees without the agent; one span per operation, errors, context, literals replaced', async ({ dir, major, preload }) => {
    const service = `graphql-${major}-${preload}`;
    const [without, traced] = await Promise.all([run(dir, 'none'), run(dir, preload, { OTEL_SERVICE_NAME: service })]);
    for (const r of [without, traced]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const seen = resultOf(traced);
    expect(seen.version.split('.')[0]).toBe(major);
    expect(seen).toEqual(resultOf(without));

    // 6 graphql spans, 2 of the resolver's own, the fixture's parent.
    const spans = await spansOf(service, 9);
    const graphql = spans.filter((s) => s.scope.name === 'waymark/graphql');
    expect(graphql.map((s) => s.name).sort()).toEqual(['graphql.parse', 'graphql.validate', 'mutation', 'query', 'query Boom', 'query GetUser']);
    const parent = spans.find((s) => s.name === 'fixture parent')!;
    for (const s of graphql) expect(s.parentSpanId).toBe(parent.spanId);
    const byName = (name: string) => graphql.find((s) => s.name === name)!;
    const loads = spans.filter((s) => s.name === 'load user');
    expect(loads.map((s) => s.parentSpanId).sort()).toEqual([byName('query').spanId, byName('query GetUser').spanId].sort());

    expect(attributeMap(byName('query GetUser').attributes)).toEqual({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'GetUser',
      'graphql.document': 'query GetUser($id: ID) { user(id: $id) { id name } }',
    });
    expect(attributeMap(byName('mutation').attributes)['graphql.document']).toBe('mutation { rename(id: ?, name: ?) { id name } }');
    expect(byName('query Boom').status).toMatchObject({ code: 2, message: 'fixture boom' });
    expect(byName('graphql.parse').status?.code).toBe(2);
    expect(byName('graphql.validate').status).toMatchObject({ code: 2, message: 'Cannot query field "nope" on type "Query".' });
    for (const s of graphql.filter((x) => x.status?.code === 2)) expect(s.events.map((e) => e.name)).toEqual(['exception']);
    expect(JSON.stringify(graphql)).not.toContain('secret');
  });

  it.each([
    { dir: 'v16', preload: 'require' as const },
    { dir: 'v17', preload: 'import' as const },
  ])('OTEL_NODE_DISABLED_INSTRUMENTATIONS=graphql ($dir, --$preload): nothing traced, the app unchanged; enabled beside it traces', async ({ dir, preload }) => {
    const service = `graphql-disabled-${dir}-${preload}`;
    const control = `graphql-enabled-${dir}-${preload}`;
    const [without, disabled, enabled] = await Promise.all([
      run(dir, 'none'),
      run(dir, preload, { OTEL_SERVICE_NAME: service, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'graphql' }),
      run(dir, preload, { OTEL_SERVICE_NAME: control }),
    ]);
    for (const r of [disabled, enabled]) {
      expect(r.stderr).toBe('');
      expect(resultOf(r)).toEqual(resultOf(without));
    }
    const off = await spansOf(service, 3);
    expect(off.map((s) => s.name).sort()).toEqual(['fixture parent', 'load user', 'load user']);
    const parent = off.find((s) => s.name === 'fixture parent')!;
    for (const s of off.filter((x) => x.name === 'load user')) expect(s.parentSpanId).toBe(parent.spanId);
    const on = await spansOf(control, 9);
    expect(on.filter((s) => s.scope.name === 'waymark/graphql')).toHaveLength(6);
  });

  it('graphql 14, outside the supported range: unpatched, the app unchanged, one line naming the version and the range', async () => {
    const [without, traced] = await Promise.all([run('v14', 'none'), run('v14', 'require', { OTEL_SERVICE_NAME: 'graphql-14' })]);
    expect(traced.code).toBe(0);
    expect(traced.stderr).toBe('[waymark] warn: graphql 14.7.0 is not instrumented (supported: >=15 <18)\n');
    expect(resultOf(traced)).toEqual(resultOf(without));
    expect(resultOf(traced).version).toBe('14.7.0');
    const spans = await spansOf('graphql-14', 3);
    expect(spans.map((s) => s.name).sort()).toEqual(['fixture parent', 'load user', 'load user']);
  });

  it('graphql 16 (supported, the positive control): patched, no line', async () => {
    const r = await runNode(['--preserve-symlinks', '--require', './register.js', path.join(APPS, 'v16', 'app.cjs')], { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOG_LEVEL: 'debug' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('graphql: patched graphql/execution/execute.js@16');
    expect(r.stderr).not.toContain('not instrumented');
  });
});
