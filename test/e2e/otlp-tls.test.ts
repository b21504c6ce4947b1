import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FLUSH_ENV } from '../helpers/exit-flush';
import { startOtlpGrpcReceiver } from '../helpers/otlp-grpc-receiver';
import { startOtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { FIXTURES } from '../helpers/paths';
import { preloadFlags, runNode, type NodeRun } from '../helpers/run-node';
import { makeTestCerts, type TestCerts } from '../helpers/test-certs';

/*
 * The preloaded agent exporting over TLS and mTLS, configured only through the environment,
 * to real TLS servers (node:https, node:http2) with certificates openssl made for this run.
 */

let certs: TestCerts;
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  certs = makeTestCerts();
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});
afterAll(() => {
  certs.remove();
});

async function receiver(protocol: 'http/protobuf' | 'grpc', mtls: boolean): Promise<{ url: string; waitForSpans(n: number): Promise<ReceivedSpan[]> }> {
  const tls = {
    key: certs.pem(certs.serverKey),
    cert: certs.pem(certs.serverCert),
    ...(mtls ? { ca: certs.pem(certs.caCert), requestCert: true, rejectUnauthorized: true } : {}),
  };
  const r = protocol === 'grpc' ? await startOtlpGrpcReceiver({ tls }) : await startOtlpReceiver({ tls });
  open.push(r);
  return { url: r.url, waitForSpans: (n) => r.waitForSpans(n, 5000) };
}

function run(fixture: string, env: Record<string, string>): Promise<NodeRun> {
  return runNode([...preloadFlags('require'), path.join(FIXTURES, fixture)], { env });
}

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  describe(`end to end over TLS: ${protocol}`, () => {
    it('mTLS with CA, client certificate and key from the environment', async () => {
      const r = await receiver(protocol, true);
      const res = await run('nested-spans.js', {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url,
        OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: certs.caCert,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certs.clientCert,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: certs.clientKey,
      });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect((await r.waitForSpans(3)).map((s) => s.name).sort()).toEqual(['load-user', 'query', 'request']);
    });

    it('process.exit(): the blocking exit path delivers over mTLS too', async () => {
      const r = await receiver(protocol, true);
      const res = await run('exit-now.js', {
        ...EXIT_FLUSH_ENV,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caCert,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certs.clientCert,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: certs.clientKey,
        FIXTURE_SPANS: '20',
        FIXTURE_CODE: '3',
      });
      expect(res.code).toBe(3);
      expect(res.stderr).toBe('');
      expect(await r.waitForSpans(20)).toHaveLength(20);
    });

    it('a missing CA file is one line; the app runs on and NODE_EXTRA_CA_CERTS still verifies the collector', async () => {
      const r = await receiver(protocol, false);
      const missing = path.join(certs.dir, 'missing-ca.pem');
      const res = await run('nested-spans.js', {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: missing,
        NODE_EXTRA_CA_CERTS: certs.caCert,
      });
      expect(res.code).toBe(0);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`OTEL_EXPORTER_OTLP_CERTIFICATE=${missing}: cannot use it as a CA file (ENOENT`);
      expect(await r.waitForSpans(3)).toHaveLength(3);
    });

    it('mTLS without a client certificate: one line, the app runs on', async () => {
      const r = await receiver(protocol, true);
      const res = await run('nested-spans.js', {
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: r.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: certs.caCert,
      });
      expect(res.code).toBe(0);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toEqual([expect.stringMatching(/requires a client certificate it accepts .* none is configured/)]);
    });
  });
}
