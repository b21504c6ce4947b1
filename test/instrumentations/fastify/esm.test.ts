import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { runFixture } from '../express/spawn-fixture';

// `node --import ./register.mjs app.mjs`: an ESM app importing Fastify is instrumented
// with that one flag. Needs `npm run build`.
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

describe('fastify under ESM (--import ./register.mjs)', () => {
  it('names server spans by route, keeps a manual span a child and records the error', async () => {
    const run = await runFixture('fastify-esm.mjs', {
      preload: 'import',
      env: { OTEL_SERVICE_NAME: 'fastify-esm', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.result).toEqual([200, 500, 404]);

    const spans = await receiver.waitForSpans(4, 5000);
    const server = spans.filter((s) => s.kind === 2); // SPAN_KIND_SERVER
    const user = server.find((s) => attributeMap(s.attributes)['url.path'] === '/api/users/1');
    expect(user?.name).toBe('GET /api/users/:id');
    expect(attributeMap(user!.attributes)['http.route']).toBe('/api/users/:id');
    expect(spans.find((s) => s.name === 'load user')?.parentSpanId).toBe(user!.spanId);

    const boom = server.find((s) => attributeMap(s.attributes)['url.path'] === '/boom/2');
    expect(boom?.name).toBe('GET /boom/:id');
    expect(boom?.status?.code).toBe(SpanStatusCode.ERROR);
    expect(boom?.events.map((e) => e.name)).toEqual(['exception']);

    const missing = server.find((s) => attributeMap(s.attributes)['url.path'] === '/missing');
    expect(missing?.name).toBe('GET');
  });
});
