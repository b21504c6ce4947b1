import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { inParent, pollSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { echoService, grpcCopies, rpcSpans, SERVICE, unary, type EchoClient } from './helpers';

// Real grpc-js (the oldest and the newest tested copies), server and client in this
// process, over a real socket: one CLIENT and one SERVER span per call, whatever its shape.
const { agent } = startTracing({ enabled: ['grpc', 'pg'] });
const service = echoService();

describe.each(grpcCopies())('%s', (_id, grpc) => {
  let server: { forceShutdown(): void };
  let port: number;
  let client: EchoClient;
  beforeAll(async () => {
    ({ server, port } = await service.startServer(grpc));
    client = service.echoClient(grpc, port);
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });
  beforeEach(() => agent.reset());

  it('unary: CLIENT under the caller, SERVER its child, handler work in the SERVER span', async () => {
    const { result, parent } = await inParent(() => unary(client, { text: 'pg' }));
    expect(result.text).toBe('42');
    const { client: [c], server: [s] } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Unary');
      return r.client.length === 1 && r.server.length === 1 && spans.some((x) => x.name === 'SELECT') ? r : undefined;
    }, 'unary spans');
    const query = agent.finishedSpans().find((x) => x.name === 'SELECT')!;
    expect(c!.kind).toBe(SpanKind.CLIENT);
    expect(c!.name).toBe(`${SERVICE}/Unary`);
    expect(c!.attributes).toMatchObject({
      'rpc.system': 'grpc',
      'rpc.service': SERVICE,
      'rpc.method': 'Unary',
      'rpc.grpc.status_code': 0,
      'server.address': '127.0.0.1',
      'server.port': port,
    });
    expect(c!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(c!.traceId).toBe(parent.spanContext().traceId);
    expect(s!.kind).toBe(SpanKind.SERVER);
    expect(s!.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.service': SERVICE, 'rpc.method': 'Unary', 'rpc.grpc.status_code': 0 });
    expect(s!.traceId).toBe(c!.traceId);
    expect(s!.parentSpanId).toBe(c!.spanId);
    expect(s!.parentIsRemote).toBe(true);
    expect(query.parentSpanId).toBe(s!.spanId);
    expect(result.traceId).toBe(c!.traceId);
    for (const span of [c!, s!]) expect(span.status.code).toBe(SpanStatusCode.UNSET);
    // The callback ran after the CLIENT span ended.
    expect(c!.endTime).toBeGreaterThanOrEqual(s!.endTime);
  });

  it('client streaming: one span per side, the handler sees the trace', async () => {
    const { result, parent } = await inParent(
      () =>
        new Promise<{ text: string; traceId: string }>((resolve, reject) => {
          const call = client.Collect((err: Error | null, reply: { text: string; traceId: string }) => (err ? reject(err) : resolve(reply)));
          for (const text of ['a', 'b', 'c']) call.write({ text });
          call.end();
        }),
    );
    expect(result.text).toBe('a+b+c');
    const { client: [c], server: [s] } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Collect');
      return r.client.length === 1 && r.server.length === 1 ? r : undefined;
    }, 'collect spans');
    expect(c!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(s!.parentSpanId).toBe(c!.spanId);
    expect(result.traceId).toBe(c!.traceId);
    expect(c!.attributes['rpc.method']).toBe('Collect');
    expect(s!.attributes['rpc.grpc.status_code']).toBe(0);
  });

  it('server streaming: the CLIENT span ends with the status; data listeners run in the caller context', async () => {
    const { result, parent } = await inParent(
      () =>
        new Promise<{ texts: string[]; seen: string[] }>((resolve, reject) => {
          const texts: string[] = [];
          const seen: string[] = [];
          const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
          const call = client.Expand({ text: 'x' });
          call.on('data', (reply: { text: string; traceId: string }) => {
            texts.push(reply.text);
            seen.push(trace.getActiveSpan()?.spanContext().spanId ?? '');
            if (reply.traceId === '') reject(new Error('handler ran outside the trace'));
          });
          call.on('error', reject);
          call.on('end', () => resolve({ texts, seen }));
        }),
    );
    expect(result.texts).toEqual(['x 1', 'x 2']);
    expect(result.seen).toEqual([parent.spanContext().spanId, parent.spanContext().spanId]);
    const { client: [c], server: [s] } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Expand');
      return r.client.length === 1 && r.server.length === 1 ? r : undefined;
    }, 'expand spans');
    expect(c!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(s!.parentSpanId).toBe(c!.spanId);
    expect(c!.attributes['rpc.grpc.status_code']).toBe(0);
    expect(s!.attributes['rpc.grpc.status_code']).toBe(0);
  });

  it('bidi streaming: one span per side for the whole exchange', async () => {
    const { result, parent } = await inParent(
      () =>
        new Promise<Array<{ text: string; traceId: string }>>((resolve, reject) => {
          const replies: Array<{ text: string; traceId: string }> = [];
          const call = client.Chat();
          call.on('data', (reply: { text: string; traceId: string }) => replies.push(reply));
          call.on('error', reject);
          call.on('end', () => resolve(replies));
          call.write({ text: 'one' });
          call.write({ text: 'two' });
          call.end();
        }),
    );
    expect(result.map((r) => r.text)).toEqual(['echo one', 'echo two']);
    const { client: [c], server: [s] } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Chat');
      return r.client.length === 1 && r.server.length === 1 ? r : undefined;
    }, 'chat spans');
    expect(c!.parentSpanId).toBe(parent.spanContext().spanId);
    expect(s!.parentSpanId).toBe(c!.spanId);
    // The handler's 'data' listener ran in the SERVER span's context.
    for (const r of result) expect(r.traceId).toBe(c!.traceId);
  });

  it("the app's metadata object is sent with the trace but left as it was", async () => {
    const md = new grpc.Metadata();
    md.set('x-app', 'kept');
    await inParent(() => unary(client, { text: 'md' }, md));
    await inParent(() => unary(client, { text: 'md' }, md, {}));
    expect(md.getMap()).toEqual({ 'x-app': 'kept' });
    const { server } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Unary');
      return r.server.length === 2 && r.client.length === 2 ? r : undefined;
    }, 'two unary calls');
    const clients = rpcSpans(agent.finishedSpans(), 'Unary').client;
    expect(new Set(server.map((s) => s.parentSpanId))).toEqual(new Set(clients.map((c) => c.spanId)));
  });

  it('a call with no active span starts a trace of its own', async () => {
    const reply = await unary(client, { text: 'root' });
    const { client: [c], server: [s] } = await pollSpans(agent, (spans) => {
      const r = rpcSpans(spans, 'Unary');
      return r.client.length === 1 && r.server.length === 1 ? r : undefined;
    }, 'root call');
    expect(c!.parentSpanId).toBeUndefined();
    expect(s!.parentSpanId).toBe(c!.spanId);
    expect(reply.traceId).toBe(c!.traceId);
  });
});

describe('the traceparent a call carries', () => {
  it('names the CLIENT span (positive control of the disabled case)', async () => {
    const [[, grpc]] = grpcCopies().slice(-1) as [[string, unknown]];
    const { server, port } = await service.startServer(grpc);
    const client = service.echoClient(grpc, port);
    agent.reset();
    const { result } = await inParent(() => unary(client, { text: 'traceparent' }));
    client.close();
    server.forceShutdown();
    const c = rpcSpans(agent.finishedSpans(), 'Unary').client[0]!;
    expect(result.text).toMatch(new RegExp(`^00-${c.traceId}-${c.spanId}-0[13]$`));
  });
});
