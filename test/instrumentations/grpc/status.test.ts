import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { inParent, pollSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { echoService, grpcCopies, rpcSpans, SERVICE, unary, type EchoClient } from './helpers';

// Status mapping: a CLIENT span is an error for every code but OK; a SERVER span only for
// the server's own faults (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL,
// UNAVAILABLE, DATA_LOSS). rpc.grpc.status_code is on both sides, always.
const { agent } = startTracing({ enabled: ['grpc'] });
const service = echoService();

function spansOfCall(method: string, wantServer = true) {
  return pollSpans(agent, (spans) => {
    const r = rpcSpans(spans, method);
    return r.client.length === 1 && r.server.length === (wantServer ? 1 : 0) ? { c: r.client[0]!, s: r.server[0] } : undefined;
  }, `${method} spans`);
}

function expectError(span: SpanRecord, code: number, name: string) {
  expect(span.status.code).toBe(SpanStatusCode.ERROR);
  expect(span.attributes['rpc.grpc.status_code']).toBe(code);
  expect(span.attributes['error.type']).toBe(name);
}

function expectNotError(span: SpanRecord, code: number) {
  expect(span.status.code).toBe(SpanStatusCode.UNSET);
  expect(span.attributes['rpc.grpc.status_code']).toBe(code);
  expect(span.attributes['error.type']).toBeUndefined();
}

function streamOutcome(call: { on(e: string, f: (v: never) => void): void }): Promise<{ code: number }> {
  return new Promise((resolve) => {
    call.on('data', () => {});
    call.on('error', () => {});
    call.on('status', (status: { code: number }) => resolve(status));
  });
}

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

  it('NOT_FOUND from the handler: an error for the client, not for the server', async () => {
    const err = await unary(client, { failWith: 5 }).catch((e: { code: number }) => e);
    expect((err as { code: number }).code).toBe(5);
    const { c, s } = await spansOfCall('Unary');
    expectError(c, 5, 'NOT_FOUND');
    expect(c.events.map((e) => e.name)).toEqual(['exception']);
    expectNotError(s!, 5);
  });

  it('INTERNAL from the handler: an error on both sides, with the handler error recorded', async () => {
    await unary(client, { failWith: 13 }).catch(() => {});
    const { c, s } = await spansOfCall('Unary');
    expectError(c, 13, 'INTERNAL');
    expectError(s!, 13, 'INTERNAL');
    expect(s!.events[0]!.attributes!['exception.message']).toBe('failing with 13');
  });

  // Before 1.10 grpc-js does not catch a handler's throw: it is the app's uncaught exception.
  const catchesThrows = grpc.Server.prototype.start.name === 'deprecated';
  if (catchesThrows) it('a handler that throws: UNKNOWN on both sides, the thrown error on the server span', async () => {
    const err = (await unary(client, { text: 'throw' }).catch((e: unknown) => e)) as { code: number };
    expect(err.code).toBe(2);
    const { c, s } = await spansOfCall('Unary');
    expectError(c, 2, 'UNKNOWN');
    expectError(s!, 2, 'UNKNOWN');
    expect(s!.events[0]!.attributes!['exception.message']).toBe('handler threw');
  });

  it('a deadline that passes: DEADLINE_EXCEEDED for the client; the server span ends at once', async () => {
    const err = (await unary(client, { text: 'slow' }, { deadline: Date.now() + 50 }).catch((e: unknown) => e)) as { code: number };
    expect(err.code).toBe(4);
    const { c, s } = await spansOfCall('Unary');
    expectError(c, 4, 'DEADLINE_EXCEEDED');
    // The server sees its own timer or the client's cancellation first, whichever wins the
    // race; either ends its span before the handler's late reply (300 ms).
    if (s!.attributes['rpc.grpc.status_code'] === 1) expectNotError(s!, 1);
    else expectError(s!, 4, 'DEADLINE_EXCEEDED');
    expect(s!.endTime - s!.startTime).toBeLessThan(250);
  });

  it('client streaming failing with INVALID_ARGUMENT: client error only', async () => {
    await new Promise<void>((resolve) => {
      const call = client.Collect(() => resolve());
      call.write({ text: 'a', failWith: 3 });
      call.end();
    });
    const { c, s } = await spansOfCall('Collect');
    expectError(c, 3, 'INVALID_ARGUMENT');
    expectNotError(s!, 3);
  });

  it('server streaming failing with DATA_LOSS after one message: the stream status ends both spans', async () => {
    const status = await streamOutcome(client.Expand({ text: 'x', failWith: 15 }));
    expect(status.code).toBe(15);
    const { c, s } = await spansOfCall('Expand');
    expectError(c, 15, 'DATA_LOSS');
    expect(c.events[0]!.attributes!['exception.message']).toMatch(/^15 DATA_LOSS: /);
    expectError(s!, 15, 'DATA_LOSS');
  });

  it('bidi failing with PERMISSION_DENIED: client error only', async () => {
    const call = client.Chat();
    const outcome = streamOutcome(call);
    call.write({ text: 'a', failWith: 7 });
    expect((await outcome).code).toBe(7);
    call.end();
    const { c, s } = await spansOfCall('Chat');
    expectError(c, 7, 'PERMISSION_DENIED');
    expectNotError(s!, 7);
  });

  it('a method the server lacks: UNIMPLEMENTED on the client span, no server span', async () => {
    const ser = (v: Buffer) => v;
    const err = (await new Promise((resolve) => client.makeUnaryRequest(`/${SERVICE}/Missing`, ser, ser, Buffer.alloc(0), resolve))) as { code: number };
    expect(err.code).toBe(12);
    const { c } = await spansOfCall('Missing', false);
    expectError(c, 12, 'UNIMPLEMENTED');
  });

  it('no server listening: UNAVAILABLE on the client span, under its caller', async () => {
    const dead = service.echoClient(grpc, 1);
    const { result: err, parent } = await inParent(() => unary(dead, { text: 'x' }).catch((e: unknown) => e as { code: number }));
    dead.close();
    expect(err.code).toBe(14);
    const { c } = await spansOfCall('Unary', false);
    expectError(c, 14, 'UNAVAILABLE');
    expect(c.attributes['server.port']).toBe(1);
    expect(c.parentSpanId).toBe(parent.spanContext().spanId);
  });
});
