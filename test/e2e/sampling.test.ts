import { afterEach, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { startApp, type RunningApp } from '../helpers/spawn-app';

const HOP = 'test/fixtures/hop-server.js';
let app: RunningApp | undefined;
let receiver: OtlpReceiver | undefined;
let jaeger: http.Server | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.close();
  await new Promise((r) => (jaeger ? jaeger.close(r) : r(undefined)));
  app = undefined;
  jaeger = undefined;
});

const path = (s: { attributes: Parameters<typeof attributeMap>[0] }) => attributeMap(s.attributes)['url.path'];

describe('sampling in a spawned app under the built agent', () => {
  it('WAYMARK_SAMPLING_RULES: /health dropped, /checkout kept with ot=th:0, the rest by the catch-all', async () => {
    receiver = await startOtlpReceiver();
    app = await startApp(HOP, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      WAYMARK_SAMPLING_RULES: JSON.stringify([{ path: '/health', sample: 0 }, { path: '/checkout', sample: 1 }, { sample: 0 }, { bad: 1 }]),
    });
    for (let i = 0; i < 3; i++) expect((await app.get('/health')).status).toBe(200);
    await app.get('/other');
    await app.get('/checkout');
    await app.get('/health');
    await app.get('/checkout');
    const spans = await receiver.waitForSpans(2, 5000);
    await new Promise((r) => setTimeout(r, 300)); // anything else would have arrived by now
    const all = receiver.spans();
    expect(all.map(path)).toEqual(['/checkout', '/checkout']);
    expect(spans.every((s) => s.traceState === 'ot=th:0')).toBe(true);
    expect(app.stderr()).toMatch(/WAYMARK_SAMPLING_RULES: rule 3 .*unknown key "bad".*rule ignored/);
  });

  it('parentbased_jaeger_remote: the served per-operation strategy decides', async () => {
    receiver = await startOtlpReceiver();
    const asked: string[] = [];
    jaeger = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.end(
        JSON.stringify({
          strategyType: 'PROBABILISTIC',
          probabilisticSampling: { samplingRate: 0 },
          operationSampling: { defaultSamplingProbability: 0, perOperationStrategies: [{ operation: 'GET', probabilisticSampling: { samplingRate: 1 } }] },
        }),
      );
    });
    await new Promise<void>((r) => jaeger!.listen(0, '127.0.0.1', r));
    const port = (jaeger.address() as AddressInfo).port;
    app = await startApp(HOP, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'shop',
      OTEL_TRACES_SAMPLER: 'parentbased_jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: `endpoint=http://127.0.0.1:${port}/sampling,pollingIntervalMs=100000,initialSamplingRate=0`,
    });
    const until = Date.now() + 5000;
    while (asked.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(asked[0]).toBe('/sampling?service=shop');
    await new Promise((r) => setTimeout(r, 100)); // the answer applied
    await app.get('/x');
    const spans = await receiver.waitForSpans(1, 5000);
    expect(spans[0]!.name).toBe('GET');
    expect(spans[0]!.traceState).toBe('ot=th:0');
    // Only the sampling poll reached the endpoint: the agent's own client is not traced.
    expect(receiver.spans().map(path)).toEqual(['/x']);
  });
});
