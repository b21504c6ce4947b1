import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { runFixture } from '../../helpers/run-node';

// `node --import ./register.mjs app.mjs`: an ESM app importing Express, Fastify, Koa or Hapi
// (all CommonJS; Koa 3's `import` entry re-exports its CommonJS main, and @koa/router 15 has
// its own ESM build) is instrumented with that one flag. The fixtures serve the same routes.
// Needs `npm run build`.
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe.each(['express', 'fastify', 'koa', 'hapi'])('%s under ESM (--import ./register.mjs)', (framework) => {
  it('names server spans by route, keeps a manual span a child and records the error', async () => {
    const service = `${framework}-esm`;
    const run = await runFixture(`${framework}-esm.mjs`, {
      preload: 'import',
      env: { OTEL_SERVICE_NAME: service, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.result).toEqual([200, 500, 404]);

    const ours = () => receiver.spans().filter((s) => attributeMap(s.resource)['service.name'] === service);
    await receiver.waitForSpans(4, 5000);
    const until = Date.now() + 5000;
    while (ours().length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const spans = ours();
    const server = spans.filter((s) => s.kind === 2); // SPAN_KIND_SERVER
    const user = server.find((s) => attributeMap(s.attributes)['url.path'] === '/api/users/1');
    // Hapi writes path parameters as `{id}`, the others as `:id`.
    const param = framework === 'hapi' ? '{id}' : ':id';
    expect(user?.name).toBe(`GET /api/users/${param}`);
    expect(attributeMap(user!.attributes)['http.route']).toBe(`/api/users/${param}`);
    expect(spans.find((s) => s.name === 'load user')?.parentSpanId).toBe(user!.spanId);

    const boom = server.find((s) => attributeMap(s.attributes)['url.path'] === '/boom/2');
    expect(boom?.name).toBe(`GET /boom/${param}`);
    expect(boom?.status?.code).toBe(SpanStatusCode.ERROR);
    expect(boom?.events.map((e) => e.name)).toEqual(['exception']);

    const missing = server.find((s) => attributeMap(s.attributes)['url.path'] === '/missing');
    expect(missing?.name).toBe('GET');
  });
});
