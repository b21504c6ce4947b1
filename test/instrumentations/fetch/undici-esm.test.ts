import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode } from '../../helpers/run-node';
import { undiciPackagesForThisNode } from './undici-packages';

// ESM apps importing the undici package under `node --import ./register.mjs`, exported over
// OTLP and decoded; and the same app with the instrumentation disabled by its OpenTelemetry
// name, `undici`.
let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const EXPECTED = { a: [200, 'answer /a'], b: [200, 'answer /b'], refused: 'ECONNREFUSED' };

describe.each(undiciPackagesForThisNode().map((p) => [p.id, p.version] as const))('%s (%s) under --import ./register.mjs', (id) => {
  const run = (extra: Record<string, string> = {}) =>
    runNode(['--import', './register.mjs', join(FIXTURES, 'undici-esm.mjs')], {
      env: { OTEL_SERVICE_NAME: 'esm-undici', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', WM_UNDICI_MODULE: id, ...extra },
    });

  it('one CLIENT span per request under the app span, traceparent sent, the refused one ERROR', async () => {
    const { code, stderr, stdout } = await run({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as typeof EXPECTED & { received: string[] };
    expect(out).toMatchObject(EXPECTED);
    const spans = await receiver.waitForSpans(4);
    const parent = spans.find((s) => s.name === 'esm-parent')!;
    const requests = spans.filter((s) => s.scope.name === 'waymark/fetch');
    expect(requests.map((s) => s.name)).toEqual(['GET', 'POST', 'GET']);
    for (const s of requests) {
      expect(s.parentSpanId).toBe(parent.spanId);
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
    }
    // The sampled flag, with or without the random-trace-id flag (W3C Trace Context level 2).
    expect(out.received.map((tp) => tp.slice(0, -3))).toEqual(requests.slice(0, 2).map((s) => `00-${s.traceId}-${s.spanId}`));
    expect(attributeMap(requests[1]!.attributes)).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
    expect(requests[2]!.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attributeMap(requests[2]!.attributes)).toMatchObject({ 'error.type': 'ECONNREFUSED', 'server.port': 1 });
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=undici: same answers, no traceparent sent, only the app span', async () => {
    const { code, stderr, stdout } = await run({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici', OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ...EXPECTED, received: [null, null] });
    await receiver.waitForSpans(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-parent']);
  });
});
