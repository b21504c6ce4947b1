import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode } from '../../helpers/run-node';
import { SERVICE } from './helpers';

// The built agent in child processes: a client process and a server process joined into
// one trace through the call's metadata (CommonJS, --require), and an ESM app (--import).
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const GRPC_FIXTURES = join(FIXTURES, 'grpc');

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

const serviceOf = (s: ReceivedSpan) => attributeMap(s.resource)['service.name'];

describe('grpc across processes (--require ./register.js)', () => {
  it('client root -> CLIENT -> (metadata) -> SERVER in the other process -> its pg query', async () => {
    const server = spawnNode(['--require', './register.js', join(GRPC_FIXTURES, 'server.js')], { env: env('grpc-server') });
    const port = /PORT (\d+)\n/.exec(await server.waitForOutput(/PORT \d+\n/))![1]!;
    const client = await runNode(['--require', './register.js', join(GRPC_FIXTURES, 'client.js')], { env: env('grpc-client', { WM_PORT: port, WM_TEXT: 'pg' }) });
    expect(client.stderr).toBe('');
    expect(client.code).toBe(0);
    const reply = JSON.parse(client.stdout) as { text: string; traceId: string };
    expect(reply.text).toBe('42');
    const done = await server.exited;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);

    const spans = await receiver.waitForSpans(4);
    const root = spans.find((s) => s.name === 'client-root')!;
    const c = spans.find((s) => s.name === `${SERVICE}/Unary` && s.kind === KIND_CLIENT)!;
    const s = spans.find((x) => x.name === `${SERVICE}/Unary` && x.kind === KIND_SERVER)!;
    const query = spans.find((x) => x.name === 'SELECT')!;
    expect(serviceOf(c)).toBe('grpc-client');
    expect(serviceOf(s)).toBe('grpc-server');
    expect(serviceOf(query)).toBe('grpc-server');
    for (const span of [c, s, query]) expect(span.traceId).toBe(root.traceId);
    expect(c.parentSpanId).toBe(root.spanId);
    expect(s.parentSpanId).toBe(c.spanId);
    expect(query.parentSpanId).toBe(s.spanId);
    expect(reply.traceId).toBe(root.traceId);
    expect(attributeMap(c.attributes)).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': SERVICE, 'rpc.method': 'Unary', 'rpc.grpc.status_code': 0, 'server.address': '127.0.0.1', 'server.port': Number(port) });
    expect(attributeMap(s.attributes)).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': SERVICE, 'rpc.method': 'Unary', 'rpc.grpc.status_code': 0 });
  }, 20_000);
});

describe('grpc under --import ./register.mjs', () => {
  function run(extra: Record<string, string> = {}) {
    return runNode(['--import', './register.mjs', join(GRPC_FIXTURES, 'esm.mjs')], { env: env('grpc-esm', extra) });
  }

  it('unary and server-streaming calls: CLIENT under the app span, SERVER its child', async () => {
    const { code, stderr, stdout } = await run();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const replies = JSON.parse(stdout) as Array<{ text: string; traceId: string }>;
    expect(replies.map((r) => r.text)).toEqual(['echo esm', 'esm 1', 'esm 2']);
    const spans = await receiver.waitForSpans(5);
    const root = spans.find((s) => s.name === 'esm-root')!;
    for (const method of ['Unary', 'Expand']) {
      const c = spans.find((s) => s.name === `${SERVICE}/${method}` && s.kind === KIND_CLIENT)!;
      const s = spans.find((x) => x.name === `${SERVICE}/${method}` && x.kind === KIND_SERVER)!;
      expect(c.parentSpanId).toBe(root.spanId);
      expect(s.parentSpanId).toBe(c.spanId);
    }
    for (const r of replies) expect(r.traceId).toBe(root.traceId);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=grpc: no RPC span; the calls show as HTTP/2 exchanges', async () => {
    const { code, stderr, stdout } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'grpc' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as unknown[]).length).toBe(3);
    // Nothing claims application/grpc any more: http2 traces both calls, a CLIENT and a SERVER each.
    const spans = await receiver.waitForSpans(5);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['POST', 'POST', 'POST', 'POST', 'esm-root']);
    expect(spans.some((s) => s.scope.name === 'waymark/grpc')).toBe(false);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=grpc,http2 leaves only the app span', async () => {
    const { code, stderr, stdout } = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'grpc,http2' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The handlers ran outside any trace: nothing was propagated.
    for (const r of JSON.parse(stdout) as Array<{ traceId: string }>) expect(r.traceId).toBe('');
    await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-root']);
  });
});
