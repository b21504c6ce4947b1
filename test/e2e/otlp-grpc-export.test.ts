import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { startOtlpGrpcReceiver, type OtlpGrpcReceiver } from '../helpers/otlp-grpc-receiver';
import { attributeMap } from '../helpers/otlp-receiver';
import { FIXTURES } from '../helpers/paths';
import { preloadFlags, runNode, type NodeRun } from '../helpers/run-node';

function run(fixture: string, env: Record<string, string>, preload: 'require' | 'import' = 'require'): Promise<NodeRun> {
  return runNode([...preloadFlags(preload), path.join(FIXTURES, fixture)], { env });
}

let receiver: OtlpGrpcReceiver;
beforeEach(async () => {
  receiver = await startOtlpGrpcReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('end to end: preloaded agent → OTLP/gRPC receiver (official decoder)', () => {
  for (const [preload, compression] of [
    ['require', 'none'],
    ['import', 'gzip'],
  ] as const) {
    it(`exports nested spans over gRPC (--${preload}, compression ${compression})`, async () => {
      const res = await run(
        'nested-spans.js',
        {
          OTEL_SERVICE_NAME: 'grpc-app',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_COMPRESSION: compression,
          OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret123',
        },
        preload,
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const spans = await receiver.waitForSpans(3, 5000);
      expect(spans.map((s) => s.name).sort()).toEqual(['load-user', 'query', 'request']);
      const call = receiver.calls[0]!;
      expect(call.headers['x-api-key']).toBe('secret123');
      expect(call.compressedFlag).toBe(compression === 'gzip');
      const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
      expect(byName['load-user']!.parentSpanId).toBe(byName['request']!.spanId);
      expect(attributeMap(byName['load-user']!.attributes)).toMatchObject({ 'user.id': 42 });
      expect(attributeMap(byName['request']!.resource)['service.name']).toBe('grpc-app');
    });
  }

  it('the signal-specific protocol variable selects gRPC over the generic one', async () => {
    const res = await run('nested-spans.js', {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    });
    expect(res.stderr).toBe('');
    expect(await receiver.waitForSpans(3, 5000)).toHaveLength(3);
  });

  it('process.exit() right after a burst: the blocking exit path delivers every span over gRPC', async () => {
    const res = await run('exit-now.js', {
      ...EXIT_FLUSH_ENV,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      FIXTURE_SPANS: '600',
      FIXTURE_CODE: '5',
    });
    expect(res.code).toBe(5);
    expect(res.stderr).toBe('');
    await receiver.waitForSpans(600, 3000);
    expect(new Set(receiver.spans().map((s) => s.spanId)).size).toBe(600);
    expect(receiver.calls.every((c) => c.headers['content-type'] === 'application/grpc' && c.compressedFlag)).toBe(true);
  });

  it('a collector that answers INVALID_ARGUMENT costs one line and the app runs on', async () => {
    receiver.setResponder(() => ({ code: 3, message: 'bad data' }));
    const res = await run('nested-spans.js', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(res.code).toBe(0);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringContaining('gRPC INVALID_ARGUMENT after 1 attempt: bad data')]);
    expect(receiver.calls).toHaveLength(1);
  });
});
