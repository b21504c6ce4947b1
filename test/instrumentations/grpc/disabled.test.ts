import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { echoService, unary, type EchoClient } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=grpc: grpc-js must run exactly as unpatched. http2
// is off too: with grpc off it would trace gRPC's exchanges as HTTP (processes.test.ts).
const { agent, hooks } = startTracing({ disabled: ['grpc', 'http2'] });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const grpc = nodeRequire('@grpc/grpc-js') as any;
const service = echoService();

describe('grpc disabled', () => {
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

  it('patches nothing; calls carry no traceparent; no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('grpc');
    for (const m of ['makeUnaryRequest', 'makeClientStreamRequest', 'makeServerStreamRequest', 'makeBidiStreamRequest']) {
      expect(isWrapped(grpc.Client.prototype[m])).toBe(false);
    }
    expect(isWrapped(grpc.Server.prototype.register)).toBe(false);
    const { result } = await inParent(() => unary(client, { text: 'traceparent' }));
    expect(result.text).toBe('');
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
