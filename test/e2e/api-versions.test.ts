import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { FIXTURES, ROOT } from '../helpers/paths';
import { runFixture } from '../helpers/run-node';

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
