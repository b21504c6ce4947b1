import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { attributeMap, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver';
import path from 'node:path';
import { FIXTURES } from '../../helpers/paths';
import { preloadFlags, runNode, type Preload } from '../../helpers/run-node';

// Apps run under the built agent, one flag each: an ESM app importing Nest (`--import
// ./register.mjs`; Nest 12 is ES modules, Nest 10 CommonJS imported from ESM) and a CommonJS
// app requiring it (`--require ./register.js`; Nest 12 through require(esm)). Each requests
// a route whose handler queries PostgreSQL, a 404 and a 500 (test/fixtures/nest/drive.cjs).
// Needs `npm run build`.
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

const RUNS: Array<{ how: string; preload: Preload; fixture: string; args: string[]; major: number }> = [
  { how: 'ESM', preload: 'import', fixture: 'nest/esm-app.mjs', args: ['express'], major: 12 },
  { how: 'ESM', preload: 'import', fixture: 'nest/esm-app.mjs', args: ['fastify'], major: 12 },
  { how: 'ESM', preload: 'import', fixture: 'nest10/esm-app.mjs', args: ['express'], major: 10 },
  { how: 'ESM', preload: 'import', fixture: 'nest10/esm-app.mjs', args: ['fastify'], major: 10 },
  { how: 'CommonJS', preload: 'require', fixture: 'nest/cjs-app.cjs', args: ['nest10', 'express'], major: 10 },
  { how: 'CommonJS', preload: 'require', fixture: 'nest/cjs-app.cjs', args: ['.', 'fastify'], major: 12 },
];

let serial = 0;
async function run(preload: Preload, fixture: string, args: string[], env: Record<string, string> = {}): Promise<ReceivedSpan[]> {
  const service = `nest-${process.pid}-${++serial}`;
  // Loading Nest takes seconds on a busy machine: more time than runFixture's 15 s allows.
  const result = await runNode([...preloadFlags(preload), path.join(FIXTURES, fixture), ...args], {
    env: { OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: service, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, ...env },
    timeoutMs: 50_000,
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('RESULT [203,404,500]\n');
  const ours = () => receiver.spans().filter((s) => attributeMap(s.resource)['service.name'] === service);
  // Three server spans and at least their database query; the exit flush sends the rest.
  const until = Date.now() + 5000;
  while (ours().filter((s) => s.kind === 2).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return ours();
}

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe.each(RUNS)('$how app, Nest $major, platform $args', ({ preload, fixture, args, major }) => {
  it('names the route, nests the controller, the handler and its query, and records the 500', async () => {
    const spans = await run(preload, fixture, args);
    const [server] = byName(spans, 'GET /cats/:id');
    expect(attributeMap(server!.attributes)['http.route']).toBe('/cats/:id');
    const [context] = byName(spans, 'CatsController.findOne');
    expect(context?.parentSpanId).toBe(server!.spanId);
    expect(context?.scope.name).toBe('waymark/nestjs');
    expect(String(attributeMap(context!.attributes)['nestjs.version'])).toMatch(new RegExp(`^${major}\\.`));
    const [handler] = byName(spans, 'findOne');
    expect(handler?.parentSpanId).toBe(context!.spanId);
    const query = spans.find((s) => s.scope.name === 'waymark/pg' && s.traceId === server!.traceId);
    expect(query?.parentSpanId).toBe(handler!.spanId);

    const [missing] = byName(spans, 'GET /errors/missing/:id');
    expect(missing?.status?.code ?? SpanStatusCode.UNSET).toBe(SpanStatusCode.UNSET);
    expect(missing?.events.map((e) => e.name)).toEqual(['exception']);
    const [boom] = byName(spans, 'GET /errors/boom');
    expect(boom?.status?.code).toBe(SpanStatusCode.ERROR);
    expect(attributeMap(boom!.attributes)['error.type']).toBe('Error');
    expect(boom?.events.map((e) => e.name)).toEqual(['exception']);
    expect(byName(spans, 'Create Nest App')).toHaveLength(1);
  }, 90_000);
});

describe('OTEL_NODE_DISABLED_INSTRUMENTATIONS=nestjs-core (OpenTelemetry’s name)', () => {
  it('leaves Nest alone: the same answers, the platform’s route name, no Nest span', async () => {
    const spans = await run('import', 'nest/esm-app.mjs', ['express'], { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nestjs-core' });
    expect(byName(spans, 'GET /cats/:id')).toHaveLength(1);
    expect(spans.filter((s) => s.scope.name === 'waymark/nestjs')).toEqual([]);
    const [boom] = byName(spans, 'GET /errors/boom');
    expect(boom?.events).toEqual([]);
  }, 90_000);
});
