import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { echoService, unary, type EchoClient, type Grpc } from '../grpc/helpers';
import { inParent, pollSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';

// The control of grpc-exchanges.test.ts: with the grpc instrumentation off, nothing claims
// application/grpc, and the http2 instrumentation traces gRPC's exchanges as HTTP (POST).
const { agent } = startTracing({ enabled: ['http2'] });
const grpc = nodeRequire('@grpc/grpc-js') as Grpc;
const service = echoService();

describe('gRPC over http2, grpc instrumentation off', () => {
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

  it('the call is an http2 CLIENT and SERVER span pair', async () => {
    const { parent } = await inParent(() => unary(client, { text: 'a' }));
    const { c, s } = await pollSpans(agent, (spans) => {
      const c = spans.find((x) => x.scope.name === 'waymark/http2' && x.kind === SpanKind.CLIENT);
      const s = spans.find((x) => x.scope.name === 'waymark/http2' && x.kind === SpanKind.SERVER);
      return c && s ? { c, s } : undefined;
    }, 'http2 spans of the gRPC call');
    expect(c.name).toBe('POST');
    expect(s.attributes['url.path']).toBe('/waymark.test.Echo/Unary');
    expect(s.parentSpanId).toBe(c.spanId);
    expect(agent.finishedSpans().filter((x) => x.scope.name === 'waymark/grpc')).toEqual([]);
    expect(c.traceId).toBe(parent.spanContext().traceId);
  });
});
