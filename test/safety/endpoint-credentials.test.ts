import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';

// Credentials in the endpoint's userinfo become a Basic Authorization header (as Node's http
// client does for OpenTelemetry's exporters) and are never printed.

const SECRET = 'hunter2-endpoint-secret';
const BASIC = 'Basic ' + Buffer.from(`collector-user:${SECRET}`).toString('base64');

// One traced request to itself, then exit (the exit flush sends the spans).
const APP = [
  '--require',
  './register.js',
  '-e',
  `const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => {
     require('node:http').get('http://127.0.0.1:' + s.address().port + '/x', (r) => { r.resume(); r.on('end', () => s.close()); });
   });`,
];

let receiver: OtlpReceiver;
beforeAll(async () => {
  // A collector that demands Basic auth, as one behind a reverse proxy does.
  receiver = await startOtlpReceiver({ responder: (req) => (req.headers.authorization === BASIC ? undefined : { status: 401 }) });
});
afterAll(() => receiver.close());

describe('an OTLP endpoint with userinfo, against a collector that demands auth', () => {
  it('sends the Basic header, delivers the spans, and prints nothing', async () => {
    const url = new URL(receiver.url);
    const endpoint = `http://collector-user:${SECRET}@127.0.0.1:${url.port}`;
    const run = await runNode(APP, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'creds' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const spans = await receiver.waitForSpans(2);
    expect(spans.map((s) => s.kind).sort()).toEqual([2, 3]);
    expect(receiver.requests.every((r) => r.headers.authorization === BASIC)).toBe(true);
  });

  it('an explicit Authorization header in OTEL_EXPORTER_OTLP_HEADERS wins over the userinfo', async () => {
    const port = new URL(receiver.url).port;
    const before = receiver.requests.length;
    const run = await runNode(APP, { env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://someone:wrong%40pass@127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_HEADERS: `Authorization=${encodeURIComponent(BASIC)}`,
      OTEL_SERVICE_NAME: 'creds-explicit',
    } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    await receiver.waitForRequests(before + 1);
    expect(receiver.requests.slice(before).every((r) => r.headers.authorization === BASIC)).toBe(true);
  });

  it('a rejected export names the endpoint without its credentials', async () => {
    const port = new URL(receiver.url).port;
    // Wrong password: 401; the failure line shows the URL, masked.
    const run = await runNode(APP, { env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://collector-user:${SECRET}-wrong@127.0.0.1:${port}`,
      OTEL_BSP_SCHEDULE_DELAY: '10',
      OTEL_SERVICE_NAME: 'creds-wrong',
    } });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain(SECRET);
    expect(run.stderr).not.toContain('collector-user');
    expect(run.stderr).toContain('401');
  });
});
