import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode } from '../../helpers/run-node';

// The built agent in two processes: a CommonJS server (--require) and an ESM client
// (--import, a named import of `connect`), joined into one trace by the request's headers.
const KIND_SERVER = 2;
const KIND_CLIENT = 3;

let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function env(service: string, extra: Record<string, string> = {}): Record<string, string> {
  return { OTEL_SERVICE_NAME: service, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', ...extra };
}

async function exchange(extra: Record<string, string> = {}) {
  const server = spawnNode(['--require', './register.js', join(FIXTURES, 'http2', 'server.cjs')], { env: env('h2-server', extra) });
  const port = /PORT (\d+)\n/.exec(await server.waitForOutput(/PORT \d+\n/))![1]!;
  const client = await runNode(['--import', './register.mjs', join(FIXTURES, 'http2', 'client.mjs')], { env: env('h2-client', { WM_PORT: port, ...extra }) });
  const done = await server.exited;
  return { client, done, port: Number(port) };
}

describe('http2 across processes', () => {
  it('client root -> CLIENT GET -> (headers) -> SERVER GET in the other process -> handler span', async () => {
    const { client, done, port } = await exchange();
    expect(client.stderr).toBe('');
    expect(client.code).toBe(0);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const reply = JSON.parse(client.stdout) as { status: number; body: string };
    expect(reply.status).toBe(200);
    const spans = await receiver.waitForSpans(4);
    const root = spans.find((s) => s.name === 'client-root')!;
    const c = spans.find((s) => s.kind === KIND_CLIENT)!;
    const s = spans.find((x) => x.kind === KIND_SERVER)!;
    const work = spans.find((x) => x.name === 'handler-work')!;
    expect(c.name).toBe('GET');
    expect(s.name).toBe('GET');
    for (const span of [c, s, work]) expect(span.traceId).toBe(root.traceId);
    expect(c.parentSpanId).toBe(root.spanId);
    expect(s.parentSpanId).toBe(c.spanId);
    expect(work.parentSpanId).toBe(s.spanId);
    expect(reply.body).toBe(root.traceId);
    expect(attributeMap(c.attributes)).toMatchObject({ 'url.full': `http://127.0.0.1:${port}/hello?q=1`, 'http.response.status_code': 200 });
    expect(attributeMap(s.attributes)).toMatchObject({ 'url.path': '/hello', 'url.query': 'q=1', 'http.response.status_code': 200, 'network.protocol.version': '2' });
  }, 20_000);

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=http2 on both: two unrelated app spans only', async () => {
    const { client, done } = await exchange({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http2' });
    expect(client.stderr).toBe('');
    expect(done.stderr).toBe('');
    const spans = await receiver.waitForSpans(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['client-root', 'handler-work']);
    expect(spans[0]!.traceId).not.toBe(spans[1]!.traceId);
  }, 20_000);
});
