import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { FIXTURES, ROOT } from '../helpers/paths';
import { runFixture } from '../helpers/run-node';
import { REGISTER_CJS, runToEnd } from '../helpers/signal-run';

// The agent registers the @opentelemetry/api globals itself (src/api-globals.ts) instead of
// loading the app's API copy at startup. These runs check that the app's API copy and an
// older 1.x copy both nest under the agent's spans, that the app's copy can still register
// its own globals, and that the agent's internals never depend on its bundled API copy
// accepting the registered version.

interface Report {
  apiLoadedByAgent: boolean;
  oldSeesActive: boolean;
  currentSeesActive: boolean;
  metricsRegistered: boolean;
  globalsVersion: string;
}

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('the app’s @opentelemetry/api copies and the agent’s globals', () => {
  const installed = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@opentelemetry/api/package.json'), 'utf8')) as { version: string };
  const cases = [
    { title: 'globals created by the agent', preloads: [], version: installed.version },
    {
      title: 'globals created first by an older API (1.4) registering a diag logger',
      preloads: ['--require', path.join(FIXTURES, 'old-api-diag.js')],
      version: '1.4.1',
    },
  ];
  for (const c of cases) {
    const older = c.version === '1.4.1';
    it(`${c.title}: manual spans nest under the automatic server span`, async () => {
      const res = await runFixture('api-versions-app.js', {
        preload: 'require',
        nodeArgs: c.preloads,
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url },
      });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const report = res.result as Report;
      expect(report).toEqual({
        apiLoadedByAgent: false,
        oldSeesActive: true,
        // API 1.9 reads no globals of version 1.4.1 and refuses to add its own to them: its
        // own rule, which the agent cannot change. Everything else keeps working.
        currentSeesActive: !older,
        metricsRegistered: !older,
        globalsVersion: c.version,
      });
      const spans = await receiver.waitForSpans(older ? 3 : 4, 5000);
      const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
      const server = spans.find((s) => s.kind === 2)!; // SERVER
      const client = spans.find((s) => s.kind === 3)!; // CLIENT
      expect(server.parentSpanId).toBe(client.spanId);
      if (older) {
        expect(byName['current-api-span']).toBeUndefined();
        expect(byName['old-api-span']!.parentSpanId).toBe(server.spanId);
      } else {
        expect(byName['current-api-span']!.parentSpanId).toBe(server.spanId);
        expect(byName['old-api-span']!.parentSpanId).toBe(byName['current-api-span']!.spanId);
      }
      expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    });
  }
});

describe('an app whose only @opentelemetry/api copy is older than the agent’s', () => {
  it('registers its own meter provider and diag logger next to the agent (API 1.4 requires the exact version)', async () => {
    // The app's directory holds API 1.4 as its @opentelemetry/api; the agent's own
    // resolution finds 1.9: the globals must carry the app's version.
    const dir = mkdtempSync(path.join(tmpdir(), 'waymark-api14-'));
    try {
      mkdirSync(path.join(dir, 'node_modules/@opentelemetry'), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules/otel-api-1-4'), path.join(dir, 'node_modules/@opentelemetry/api'), 'dir');
      const app = path.join(dir, 'app.js');
      writeFileSync(
        app,
        `const api = require('@opentelemetry/api');
const silent = { error() {}, warn() {}, info() {}, debug() {}, verbose() {} };
const meter = api.metrics.setGlobalMeterProvider({ getMeter: () => api.createNoopMeter() });
const logger = api.diag.setLogger(silent);
let nested;
api.trace.getTracer('app').startActiveSpan('outer', (span) => {
  nested = api.trace.getActiveSpan() === span && span.spanContext().traceId !== '00000000000000000000000000000000';
  span.end();
});
console.log(JSON.stringify({ version: globalThis[Symbol.for('opentelemetry.js.api.1')].version, meter, logger, nested }));
`,
      );
      const withAgent = await runToEnd(app, { nodeArgs: ['--require', REGISTER_CJS], env: { OTEL_TRACES_EXPORTER: 'none' } });
      const without = await runToEnd(app);
      expect(withAgent.stderr).toBe('');
      expect(JSON.parse(without.stdout)).toEqual({ version: '1.4.1', meter: true, logger: true, nested: false });
      expect(JSON.parse(withAgent.stdout)).toEqual({ version: '1.4.1', meter: true, logger: true, nested: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
