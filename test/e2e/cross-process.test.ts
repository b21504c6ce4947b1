import { afterEach, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { startApp, type RunningApp } from '../helpers/spawn-app';
import { ROOT } from '../helpers/paths';

const HOP = 'test/fixtures/hop-server.js';
let apps: RunningApp[] = [];
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  apps = [];
  await receiver?.close();
});

const service = (s: ReceivedSpan) => attributeMap(s.resource)['service.name'];

async function hop(env: Record<string, string>, agent = true): Promise<RunningApp> {
  const app = await startApp(HOP, { OTEL_BSP_SCHEDULE_DELAY: '50', ...env }, { agent });
  apps.push(app);
  return app;
}

describe('one trace across processes', () => {
  it('A --fetch--> B --http.request--> C: one trace id, each client span the parent of the next server span', async () => {
    receiver = await startOtlpReceiver();
    const otlp = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url };
    const c = await hop({ ...otlp, OTEL_SERVICE_NAME: 'svc-c' });
    const b = await hop({ ...otlp, OTEL_SERVICE_NAME: 'svc-b', NEXT_URL: `http://127.0.0.1:${c.port}/c`, CALL_WITH: 'http' });
    const a = await hop({ ...otlp, OTEL_SERVICE_NAME: 'svc-a', NEXT_URL: `http://127.0.0.1:${b.port}/b`, CALL_WITH: 'fetch' });
    const res = await a.get('/a');
    expect(res.status).toBe(200);
    const spans = await receiver.waitForSpans(5, 5000);
    expect(spans).toHaveLength(5); // A server, A client (fetch), B server, B client (http), C server
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const find = (svc: string, kind: number) => spans.find((s) => service(s) === svc && s.kind === kind)!;
    const SERVER = 2;
    const CLIENT = 3;
    const aServer = find('svc-a', SERVER);
    const aClient = find('svc-a', CLIENT);
    const bServer = find('svc-b', SERVER);
    const bClient = find('svc-b', CLIENT);
    const cServer = find('svc-c', SERVER);
    expect(aServer.parentSpanId ?? '').toBe('');
    expect(aClient.parentSpanId).toBe(aServer.spanId);
    expect(bServer.parentSpanId).toBe(aClient.spanId);
    expect(bClient.parentSpanId).toBe(bServer.spanId);
    expect(cServer.parentSpanId).toBe(bClient.spanId);
    // The header C received names B's client span as its parent; A started the trace, so
    // the flags say sampled and random (03).
    const body = JSON.parse(res.body);
    expect(body.downstream.downstream.received.traceparent).toBe(`00-${aServer.traceId}-${bClient.spanId}-03`);
  });

  it('a service that receives B3 continues the trace and forwards W3C and B3 both', async () => {
    receiver = await startOtlpReceiver();
    const echo = await hop({}, false); // an untraced downstream that shows what it got
    const svc = await hop({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'b3-service',
      OTEL_PROPAGATORS: 'tracecontext,b3multi,b3',
      NEXT_URL: `http://127.0.0.1:${echo.port}/next`,
    });
    const traceId = '80f198ee56343ba864fe8b2a57d3eff7';
    const parentId = 'e457b5a2e4d86bd1';
    const res = await fetch(`http://127.0.0.1:${svc.port}/in`, {
      headers: { 'X-B3-TraceId': traceId, 'X-B3-SpanId': parentId, 'X-B3-Sampled': '1' },
    });
    const body = await res.json();
    const spans = await receiver.waitForSpans(2, 5000);
    const server = spans.find((s) => s.kind === 2)!;
    const client = spans.find((s) => s.kind === 3)!;
    expect(server.traceId).toBe(traceId);
    expect(server.parentSpanId).toBe(parentId);
    expect(client.parentSpanId).toBe(server.spanId);
    const fwd = body.downstream.received;
    expect(fwd.traceparent).toBe(`00-${traceId}-${client.spanId}-01`);
    expect(fwd['x-b3-traceid']).toBe(traceId);
    expect(fwd['x-b3-spanid']).toBe(client.spanId);
    expect(fwd['x-b3-sampled']).toBe('1');
    expect(fwd.b3).toBe(`${traceId}-${client.spanId}-1`);
  });
});

describe('a second copy of the agent', () => {
  it('preloaded twice, plus the tsc build required too: one registration, one span per request', async () => {
    receiver = await startOtlpReceiver();
    const app = await startApp(
      HOP,
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_SERVICE_NAME: 'twice' },
      { nodeArgs: ['--require', `${ROOT}/register.js`, '--require', `${ROOT}/build/src/index.js`, '--require', `${ROOT}/test/fixtures/start-agent-again.js`] },
    );
    apps.push(app);
    expect((await app.get('/one')).status).toBe(200);
    await receiver.waitForSpans(1, 5000);
    await new Promise((r) => setTimeout(r, 300));
    const spans = receiver.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.kind).toBe(2);
    expect(app.stderr()).toBe('');
  });
});
