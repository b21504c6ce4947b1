import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { runNode } from '../../helpers/run-node';

// `node --import ./register.mjs app.mjs`: an ESM app querying PostgreSQL (pg) or MariaDB
// (mysql2/promise, mysql) is instrumented with that one flag. Every fixture runs the same queries:
// two that succeed and one with a syntax error, inside a manual span.
// Runs against the build: `npm run build` first (npm test does).

interface Driver {
  readonly name: string;
  /** `db.system.name`; also the name of the failed statement's span (no operation to name it by). */
  readonly system: string;
  readonly errorType: string;
  /** Database spans, sorted by name: queries, plus pg's connect span (the pool connects inside the parent). */
  readonly spanNames: string[];
  readonly queryTexts: string[];
  readonly failedAttributes: Record<string, unknown>;
}

const DRIVERS: Driver[] = [
  {
    name: 'pg',
    system: 'postgresql',
    errorType: '42601',
    spanNames: ['SELECT', 'SELECT', 'pg.connect', 'postgresql'],
    queryTexts: ['SELEC ?', 'SELECT $1::int + ? AS n, ? AS s', 'SELECT ? + ? AS answer'],
    failedAttributes: { 'error.type': '42601' },
  },
  {
    name: 'mysql2',
    system: 'mysql',
    errorType: 'ER_PARSE_ERROR',
    spanNames: ['SELECT', 'SELECT', 'mysql'],
    queryTexts: ['SELEC ?', 'SELECT ? + ? AS answer', 'SELECT ? + ? AS n, ? AS s'],
    failedAttributes: { 'error.type': 'ER_PARSE_ERROR', 'db.response.status_code': '1064' },
  },
  {
    name: 'mysql',
    system: 'mysql',
    errorType: 'ER_PARSE_ERROR',
    spanNames: ['SELECT', 'SELECT', 'mysql'],
    queryTexts: ['SELEC ?', 'SELECT ? + ? AS answer', 'SELECT ? + ? AS n, ? AS s'],
    failedAttributes: { 'error.type': 'ER_PARSE_ERROR', 'db.response.status_code': '1064' },
  },
];

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

describe.each(DRIVERS)('$name under --import ./register.mjs (ESM app)', (driver) => {
  const run = (env: Record<string, string>) =>
    runNode(['--import', './register.mjs', `test/fixtures/${driver.name}-esm.mjs`], {
      env: {
        OTEL_SERVICE_NAME: `${driver.name}-esm`,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        ...env,
      },
    });
  const expectedResults = { a: [{ n: 2, s: 'secret' }], b: [{ answer: 42 }], err: driver.errorType };
  const scope = `waymark/${driver.name}`;

  it('traces connection/client and pool queries of an ESM app, as children of its span', async () => {
    const res = await run({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: driver.name });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(expectedResults);
    const spans = await receiver.waitForSpans(driver.spanNames.length + 1, 5000);
    const parent = spans.find((s) => s.name === 'esm-parent')!;
    const db = spans.filter((s) => s.scope.name === scope);
    expect(db.map((s) => s.name).sort()).toEqual(driver.spanNames);
    for (const s of db) {
      expect(s.parentSpanId).toBe(parent.spanId);
      expect(s.traceId).toBe(parent.traceId);
      expect(s.kind).toBe(3); // SPAN_KIND_CLIENT
    }
    const queries = db.filter((s) => s.name !== 'pg.connect');
    expect(queries.map((s) => attributeMap(s.attributes)['db.query.text']).sort()).toEqual(driver.queryTexts);
    const failed = db.find((s) => s.name === driver.system)!;
    expect(failed.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attributeMap(failed.attributes)).toMatchObject(driver.failedAttributes);
    expect(attributeMap(db[0]!.attributes)).toMatchObject({ 'db.system.name': driver.system, 'db.namespace': 'test', 'server.address': '127.0.0.1' });
  });

  it(`OTEL_NODE_DISABLED_INSTRUMENTATIONS=${driver.name}: same results, no ${driver.name} spans`, async () => {
    const res = await run({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: driver.name });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual(expectedResults);
    const spans = await receiver.waitForSpans(1, 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.spans().map((s) => s.name)).toEqual(['esm-parent']);
    expect(spans.filter((s) => s.scope.name === scope)).toHaveLength(0);
  });
});
