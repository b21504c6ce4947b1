import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { echoService, unary, type EchoClient, type Grpc } from '../grpc/helpers';
import { inParent, pollSpans, spansOf } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

// grpc-js runs over node:http2. With both instrumentations on, a gRPC call is its two RPC
// spans and nothing else: the http2 instrumentation leaves application/grpc exchanges
// to the grpc one (no HTTP span of the same call, on either side).
const { agent } = startTracing({ enabled: ['http2', 'grpc'] });
const grpc = nodeRequire('@grpc/grpc-js') as Grpc;
const service = echoService();

describe('gRPC over http2, both instrumentations on', () => {
  let server: { forceShutdown(): void };
  let client: EchoClient;
  beforeAll(async () => {
    const started = await service.startServer(grpc);
    server = started.server;
    client = service.echoClient(grpc, started.port);
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  it('one CLIENT and one SERVER span per call, no http2 span', async () => {
    const { parent } = await inParent(async () => {
      await unary(client, { text: 'a' });
      await unary(client, { text: 'b' });
    });
    const rpc = await pollSpans(agent, (spans) => {
      const own = spans.filter((s) => s.scope.name === 'waymark/grpc');
      return own.length === 4 ? own : undefined;
    }, 'four grpc spans');
    await new Promise((r) => setTimeout(r, 50));
    expect(spansOf(agent, 'http2')).toEqual([]);
    expect(rpc.filter((s) => s.kind === SpanKind.CLIENT).map((s) => s.parentSpanId)).toEqual([parent.spanContext().spanId, parent.spanContext().spanId]);
    const clientIds = new Set(rpc.filter((s) => s.kind === SpanKind.CLIENT).map((s) => s.spanId));
    for (const s of rpc.filter((x) => x.kind === SpanKind.SERVER)) expect(clientIds.has(s.parentSpanId!)).toBe(true);
  });
});
