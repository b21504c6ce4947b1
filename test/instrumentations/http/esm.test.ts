import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, type NodeRun } from '../../helpers/run-node';

// Spawned processes load the compiled agent: `npm run build` (npm test does) first.
const ESM_FIXTURES = join(FIXTURES, 'esm');

interface ConsoleSpan {
  traceId: string;
  parentId?: string;
  id: string;
  name: string;
  kind: string;
  attributes: Record<string, unknown>;
  scope: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  return runNode(args, { env: { OTEL_TRACES_EXPORTER: 'console', OTEL_BSP_SCHEDULE_DELAY: '20', ...env } });
}

function parse(stdout: string): { result: unknown; spans: ConsoleSpan[] } {
  let result: unknown;
  const spans: ConsoleSpan[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
    else if (line.startsWith('{')) spans.push(JSON.parse(line) as ConsoleSpan);
  }
  return { result, spans };
}

beforeAll(() => assertBuilt());

describe('node --import ./register.mjs (ESM app)', () => {
  it('traces named ESM imports of node:http and global fetch, one trace per call chain', async () => {
    const { stdout, stderr, code } = await run(['--import', './register.mjs', join(ESM_FIXTURES, 'http-app.mjs')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { result, spans } = parse(stdout);
    const seen = result as Array<{ url: string; traceparent: string | null }>;
    const byPath = (kind: string, path: string) =>
      spans.find((s) => s.kind === kind && (s.attributes['url.path'] === path || String(s.attributes['url.full']).endsWith(path)))!;
    const rootClient = byPath('CLIENT', '/chain');
    const chain = byPath('SERVER', '/chain');
    const leafClient = byPath('CLIENT', '/leaf');
    const leaf = byPath('SERVER', '/leaf');
    const fetchClient = byPath('CLIENT', '/fetched');
    const fetched = byPath('SERVER', '/fetched');
    expect(chain.parentId).toBe(rootClient.id);
    expect(leafClient.parentId).toBe(chain.id);
    expect(leaf.parentId).toBe(leafClient.id);
    expect(new Set([rootClient, chain, leafClient, leaf].map((s) => s.traceId)).size).toBe(1);
    expect(fetchClient.scope).toMatch(/^waymark\/fetch/);
    expect(fetched.parentId).toBe(fetchClient.id);
    expect(seen.find((s) => s.url === '/chain')!.traceparent).toBe(`00-${rootClient.traceId}-${rootClient.id}-03`);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=http,fetch: no spans, no headers, same output', async () => {
    const { stdout, code } = await run(['--import', './register.mjs', join(ESM_FIXTURES, 'http-app.mjs')], {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,fetch',
    });
    expect(code).toBe(0);
    const { result, spans } = parse(stdout);
    expect(spans).toEqual([]);
    expect(result).toEqual([
      { url: '/chain', traceparent: null },
      { url: '/leaf', traceparent: null },
      { url: '/fetched', traceparent: null },
    ]);
    const plain = parse((await run([join(ESM_FIXTURES, 'http-app.mjs')])).stdout);
    expect(plain.result).toEqual(result);
  });

  it('patches CommonJS packages imported from ESM and required from ESM, once, by version range', async () => {
    const { stdout, stderr, code } = await run(['--import', join(ESM_FIXTURES, 'hooks-register.mjs'), join(ESM_FIXTURES, 'pkg-app.mjs')]);
    // The entry for express `<4` says once that it leaves express 5 alone.
    expect(stderr).toMatch(/^\[waymark\] warn: express 5\.\d+\.\d+ is not instrumented \(supported: <4\)\n$/);
    expect(code).toBe(0);
    const { result } = parse(stdout) as { result: { patched: Array<{ tag: string }>; expressMarked: string; fastifyMarked: string; requireSame: boolean } };
    expect(result.expressMarked).toBe('express-any');
    expect(result.fastifyMarked).toBe('fastify');
    expect(result.requireSame).toBe(true);
    // express 5 is outside `<4`; the internal-file target matched lib/application.js; each once.
    expect(result.patched.map((p) => p.tag).sort()).toEqual(['express-any', 'fastify', 'router-file']);
  });
});

describe('node --require ./register.js (CommonJS)', () => {
  it('loads no instrumentation code until its module is required', async () => {
    // The agent ships as one bundle, so "loaded" is observed through what runs: each
    // instrumentation logs a debug line when it patches, and nothing of express, pg,
    // redis... may run when only node:http is required.
    const script = [
      "process.stderr.write('BEFORE-HTTP\\n');",
      "require('node:http');",
      "process.stderr.write('AFTER-HTTP\\n');",
    ].join('\n');
    const { stderr, code } = await run(['--require', './register.js', '-e', script], { OTEL_LOG_LEVEL: 'debug', OTEL_TRACES_EXPORTER: 'none' });
    expect(code).toBe(0);
    const before = stderr.slice(0, stderr.indexOf('BEFORE-HTTP'));
    const after = stderr.slice(stderr.indexOf('BEFORE-HTTP'), stderr.indexOf('AFTER-HTTP'));
    expect(before).not.toMatch(/: patched /);
    expect(after).toMatch(/http: patched http/);
    expect(stderr).not.toMatch(/(express|fastify|pg|mysql2|ioredis|redis|amqplib): patched/);
  });
});
