import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../../../src/diag';
import { OtlpHttpExporter } from '../../../src/export/otlp-http-exporter';
import type { TlsSettings } from '../../../src/export/tls-options';
import { startOtlpGrpcReceiver } from '../../helpers/otlp-grpc-receiver';
import { startOtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver';
import { makeTestCerts, type TestCerts } from '../../helpers/test-certs';
import { RESOURCE, makeSpan } from './fixtures';

/*
 * TLS and mTLS against real TLS servers (node:https for OTLP/HTTP, node:http2 secure
 * servers for OTLP/gRPC) with certificates made by openssl for this run.
 */

type Protocol = 'http/protobuf' | 'grpc';

interface Receiver {
  url: string;
  spans(): ReceivedSpan[];
  requests(): number;
  close(): Promise<void>;
}

let certs: TestCerts;
let logs: string[] = [];
const open: Array<{ close(): Promise<void> }> = [];
const exporters: OtlpHttpExporter[] = [];

async function receiver(protocol: Protocol, mtls = false): Promise<Receiver> {
  const tls = {
    key: certs.pem(certs.serverKey),
    cert: certs.pem(certs.serverCert),
    ...(mtls ? { ca: certs.pem(certs.caCert), requestCert: true, rejectUnauthorized: true } : {}),
  };
  let r: Receiver;
  if (protocol === 'grpc') {
    const g = await startOtlpGrpcReceiver({ tls });
    r = { url: g.url, spans: g.spans, requests: () => g.calls.length, close: g.close };
  } else {
    const h = await startOtlpReceiver({ tls });
    r = { url: h.url, spans: h.spans, requests: () => h.requests.length, close: h.close };
  }
  open.push(r);
  return r;
}

const CA = (file: string): TlsSettings['certificate'] => ({ variable: 'OTEL_EXPORTER_OTLP_CERTIFICATE', file });
const CLIENT = (cert: string, key: string): TlsSettings => ({
  clientCertificate: { variable: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', file: cert },
  clientKey: { variable: 'OTEL_EXPORTER_OTLP_CLIENT_KEY', file: key },
});

function exporter(protocol: Protocol, url: string, tls: TlsSettings | undefined): OtlpHttpExporter {
  const e = new OtlpHttpExporter({ url, protocol, headers: {}, compression: 'none', timeoutMs: 2000, resource: RESOURCE, tls });
  exporters.push(e);
  return e;
}

beforeAll(() => {
  certs = makeTestCerts();
  setLogSink((line) => logs.push(line));
});
beforeEach(() => {
  logs = [];
});
afterEach(async () => {
  for (const e of exporters.splice(0)) await e.shutdown();
  for (const r of open.splice(0)) await r.close();
});
afterAll(() => {
  setLogSink((l) => process.stderr.write(l + '\n'));
  certs.remove();
});

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  describe(`TLS over ${protocol}`, () => {
    it('delivers to an https endpoint whose CA is OTEL_EXPORTER_OTLP_CERTIFICATE', async () => {
      const r = await receiver(protocol);
      const result = await exporter(protocol, r.url, { certificate: CA(certs.caCert) }).export([makeSpan({ name: 'over-tls' })]);
      expect(result).toEqual({ ok: true });
      expect(r.spans().map((s) => s.name)).toEqual(['over-tls']);
      expect(logs).toEqual([]);
    });

    it('an untrusted server certificate is one line naming what is trusted, and is not retried', async () => {
      const r = await receiver(protocol);
      const result = await exporter(protocol, r.url, { certificate: CA(certs.otherCaCert) }).export([makeSpan()]);
      expect(result.ok).toBe(false);
      expect(r.requests()).toBe(0);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(`TLS: the certificate of localhost:${new URL(r.url).port} is not trusted`);
      expect(logs[0]).toContain(`trusted are the CAs of OTEL_EXPORTER_OTLP_CERTIFICATE=${certs.otherCaCert}`);
      expect(logs[0]).toContain('after 1 attempt');
    });

    it('mTLS: refused without a client certificate (one line), accepted with it', async () => {
      const r = await receiver(protocol, true);
      const without = await exporter(protocol, r.url, { certificate: CA(certs.caCert) }).export([makeSpan({ name: 'no-cert' })]);
      expect(without.ok).toBe(false);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/TLS: localhost:\d+ requires a client certificate it accepts \(ERR_SSL_\w+\); none is configured/);
      expect(logs[0]).toContain('after 1 attempt');

      logs = [];
      const tls = { certificate: CA(certs.caCert), ...CLIENT(certs.clientCert, certs.clientKey) };
      expect(await exporter(protocol, r.url, tls).export([makeSpan({ name: 'with-cert' })])).toEqual({ ok: true });
      expect(r.spans().map((s) => s.name)).toEqual(['with-cert']);
      expect(logs).toEqual([]);
    });

    it('a client certificate the server does not trust is named in the failure line', async () => {
      const r = await receiver(protocol, true);
      // A self-signed CA certificate used as a client certificate: not issued by the server's CA.
      // Node's TLS server then closes the connection without an alert, so the client can only suspect.
      const tls = { certificate: CA(certs.caCert), ...CLIENT(certs.otherCaCert, certs.otherKey) };
      const e = exporter(protocol, r.url, tls);
      // A reset is retried (it may be transient) until the deadline, whose last attempt may end in
      // a timeout instead: one attempt keeps the test about the line.
      e.endRetries();
      expect((await e.export([makeSpan()])).ok).toBe(false);
      expect(r.requests()).toBe(0);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toContain(`it may refuse the client certificate OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${certs.otherCaCert}`);
    });
  });
}

describe('TLS files that cannot be used', () => {
  it('a missing CA file is one line (variable, file, error); the exporter goes on without it', async () => {
    const missing = path.join(certs.dir, 'nope.pem');
    const r = await receiver('grpc');
    const e = exporter('grpc', r.url, { certificate: CA(missing) });
    expect(logs).toEqual([
      expect.stringContaining(`OTEL_EXPORTER_OTLP_CERTIFICATE=${missing}: cannot use it as a CA file (ENOENT`),
    ]);
    expect(logs[0]).toMatch(/trusts the default CAs( and NODE_EXTRA_CA_CERTS)? instead/);
    // The test CA is in no default store: the export fails with a line of its own.
    expect((await e.export([makeSpan()])).ok).toBe(false);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toContain('is not trusted');
  });

  it('a file that holds no certificate, a bad key, and a key of another certificate: one line each', () => {
    const garbage = path.join(certs.dir, 'garbage.pem');
    writeFileSync(garbage, 'this is not PEM\n');
    const broken = path.join(certs.dir, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    exporter('http/protobuf', 'https://localhost:1/v1/traces', { certificate: CA(garbage) });
    exporter('http/protobuf', 'https://localhost:1/v1/traces', { certificate: CA(broken) });
    exporter('grpc', 'https://localhost:1', CLIENT(certs.clientCert, garbage));
    exporter('grpc', 'https://localhost:1', CLIENT(certs.clientCert, certs.otherKey));
    expect(logs).toHaveLength(4);
    expect(logs[0]).toContain(`OTEL_EXPORTER_OTLP_CERTIFICATE=${garbage}: cannot use it as a CA file (no PEM certificate in it)`);
    expect(logs[1]).toContain(`OTEL_EXPORTER_OTLP_CERTIFICATE=${broken}: cannot use it as a CA file (`);
    expect(logs[2]).toContain(`OTEL_EXPORTER_OTLP_CLIENT_KEY=${garbage}: cannot use it as a private key (`);
    expect(logs[2]).toContain('presents no client certificate');
    expect(logs[3]).toContain(`OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=${certs.clientCert}: does not go with the key OTEL_EXPORTER_OTLP_CLIENT_KEY=${certs.otherKey}`);
  });

  it('TLS files for a plaintext endpoint are reported as unused', () => {
    exporter('grpc', 'http://127.0.0.1:1', { certificate: CA(certs.caCert) });
    expect(logs).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_CERTIFICATE is set but the OTLP endpoint is not https; it is not used')]);
  });

  it('OTLP/HTTP pointed at a gRPC-only TLS port is told about the protocol', async () => {
    const r = await receiver('grpc');
    expect((await exporter('http/protobuf', `${r.url}/v1/traces`, { certificate: CA(certs.caCert) }).export([makeSpan()])).ok).toBe(false);
    expect(logs).toEqual([expect.stringContaining('refused the application protocol asked for (ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL)')]);
  });

  it('a plaintext collector behind an https endpoint is said to not speak TLS', async () => {
    const plain = await startOtlpReceiver();
    open.push(plain);
    const url = plain.url.replace('http://', 'https://');
    expect((await exporter('http/protobuf', url, undefined).export([makeSpan()])).ok).toBe(false);
    expect(logs).toEqual([expect.stringContaining('does not speak TLS')]);
  });
});
