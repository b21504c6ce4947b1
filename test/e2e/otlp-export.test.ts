import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { FIXTURES } from '../helpers/paths';
import { preloadFlags, runNode, type NodeRun } from '../helpers/run-node';

function run(fixture: string, env: Record<string, string>): Promise<NodeRun> {
  return runNode([...preloadFlags('require'), path.join(FIXTURES, fixture)], { env });
}

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('end to end: preloaded agent → OTLP receiver (official decoder)', () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    for (const compression of ['none', 'gzip'] as const) {
      it(`exports nested manual spans over ${protocol}, compression ${compression}`, async () => {
        const res = await run('nested-spans.js', {
          OTEL_SERVICE_NAME: 'e2e-app',
          OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_EXPORTER_OTLP_COMPRESSION: compression,
          OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret123',
        });
        expect(res.stderr).toBe('');
        expect(res.code).toBe(0);
        const spans = await receiver.waitForSpans(3, 5000);
        expect(spans).toHaveLength(3);
        const req = receiver.requests[0]!;
        expect(req.headers['x-api-key']).toBe('secret123');
        expect(req.headers['content-type']).toBe(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        if (compression === 'gzip') expect(req.headers['content-encoding']).toBe('gzip');
        const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
        const root = byName['request']!;
        const child = byName['load-user']!;
        const grand = byName['query']!;
        expect(root.parentSpanId ?? '').toBe('');
        expect(child.parentSpanId).toBe(root.spanId);
        expect(grand.parentSpanId).toBe(child.spanId);
        expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
        expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(root.kind).toBe(2); // SPAN_KIND_SERVER
        expect(grand.kind).toBe(3); // SPAN_KIND_CLIENT
        expect(child.kind).toBe(1); // SPAN_KIND_INTERNAL
        expect(attributeMap(child.attributes)).toMatchObject({ 'user.id': 42, 'cache.hit': false, tags: ['a', 'b'], ratio: 0.5 });
        expect(child.status).toMatchObject({ code: 2, message: 'cache miss' });
        expect(child.events[0]!.name).toBe('exception');
        expect(attributeMap(child.events[0]!.attributes)).toMatchObject({ 'exception.message': 'cache miss', 'exception.type': 'Error' });
        expect(grand.events[0]!.name).toBe('rows');
        expect(attributeMap(grand.events[0]!.attributes)).toEqual({ count: 3 });
        expect(BigInt(root.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(root.startTimeUnixNano));
        const startMs = Number(BigInt(root.startTimeUnixNano) / 1_000_000n);
        expect(Math.abs(startMs - Date.now())).toBeLessThan(60_000);
        expect(attributeMap(root.resource)['service.name']).toBe('e2e-app');
        expect(attributeMap(root.resource)['deployment.environment.name']).toBe('test');
        expect(root.scope).toMatchObject({ name: 'fixture-app', version: '2.0.0' });
      });
    }
  }

  it('an app with nothing left to do exits on its own, promptly', async () => {
    const res = await run('nested-spans.js', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(res.code).toBe(0);
    expect(res.ms).toBeLessThan(5000);
    expect(receiver.spans()).toHaveLength(3);
  });

  it('an app exits on its own even when the collector is unreachable (bounded by the timeout)', async () => {
    const res = await run('nested-spans.js', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces',
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_BSP_EXPORT_TIMEOUT: '1000',
      OTEL_LOG_LEVEL: 'none',
    });
    expect(res.code).toBe(0);
    expect(res.ms).toBeLessThan(5000);
  });

  it('OTEL_SDK_DISABLED=true leaves the app untraced and exporting nothing', async () => {
    const res = await run('nested-spans.js', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url });
    expect(res.code).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.requests).toHaveLength(0);
  });
});
