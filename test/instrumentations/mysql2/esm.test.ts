import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { runNode } from '../../helpers/run-node';

// Runs against the build: `npm run build` first (npm test does).

function runFixture(env: Record<string, string>) {
  return runNode(['--import', './register.mjs', 'test/fixtures/mysql2-esm.mjs'], env);
}

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

const EXPECTED_RESULTS = { a: [{ n: 2, s: 'secret' }], b: [{ answer: 42 }], err: 'ER_PARSE_ERROR' };

describe('mysql2 under --import ./register.mjs (ESM app importing mysql2/promise)', () => {
  it('traces connection and pool queries of an ESM app, as children of its span', async () => {
    const res = await runFixture({
      OTEL_SERVICE_NAME: 'mysql2-esm',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'mysql2',
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(EXPECTED_RESULTS);
    const spans = await receiver.waitForSpans(4, 5000);
    const parent = spans.find((s) => s.name === 'esm-parent')!;
    const db = spans.filter((s) => s.scope.name === 'waymark/mysql2');
    expect(db.map((s) => s.name).sort()).toEqual(['SELECT', 'SELECT', 'mysql']);
    for (const s of db) {
      expect(s.parentSpanId).toBe(parent.spanId);
      expect(s.traceId).toBe(parent.traceId);
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
    }
    const texts = db.map((s) => attributeMap(s.attributes)['db.query.text']).sort();
    expect(texts).toEqual(['SELEC ?', 'SELECT ? + ? AS answer', 'SELECT ? + ? AS n, ? AS s']);
    const failed = db.find((s) => s.name === 'mysql')!;
    expect(failed.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attributeMap(failed.attributes)['error.type']).toBe('ER_PARSE_ERROR');
    expect(attributeMap(failed.attributes)['db.response.status_code']).toBe('1064');
    expect(attributeMap(db[0]!.attributes)).toMatchObject({ 'db.system.name': 'mysql', 'db.namespace': 'test', 'server.address': '127.0.0.1' });
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=mysql2: same results, no mysql2 spans', async () => {
    const res = await runFixture({
      OTEL_SERVICE_NAME: 'mysql2-esm',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mysql2',
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(EXPECTED_RESULTS);
    await receiver.waitForSpans(1, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-parent']);
  });
});
