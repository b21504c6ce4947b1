import * as fs from 'node:fs';
import type * as tls from 'node:tls';
import { describeError, diag } from '../diag';
import { codedError } from './http1-client';

/**
 * TLS for the exporter's connections: the trusted CA file and the client certificate
 * (mTLS) of OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE, _CLIENT_CERTIFICATE and _CLIENT_KEY,
 * read and checked once when the exporter is made.
 *
 * Without a CA file an https endpoint is checked against Node's default CAs: its bundled
 * roots, NODE_EXTRA_CA_CERTS, and the system store when node runs with --use-system-ca
 * (or --use-openssl-ca). A CA file is the trust anchor itself, as the spec words it ("the
 * trusted certificate to use when verifying a server's TLS credentials") and the
 * OpenTelemetry SDKs for JS, Go and Java apply it: it replaces the defaults. Adding it to
 * them instead would mean building a store of some 150-300 roots at startup, which took
 * 200-350 ms of blocked event loop on a 2-core VM (Node 20 and 22).
 *
 * A file that cannot be used costs one line naming the variable, the file and what failed,
 * and the exporter goes on without it (the default CAs, or no client certificate); the
 * collector's refusal, if it comes, is a line of its own (explainTlsError).
 */

/** A file named by a configuration variable. */
export interface TlsFile {
  readonly variable: string;
  readonly file: string;
}

/** The TLS settings of the configuration. */
export interface TlsSettings {
  readonly certificate?: TlsFile | undefined;
  readonly clientCertificate?: TlsFile | undefined;
  readonly clientKey?: TlsFile | undefined;
}

/** What the connections use, made once. */
export interface TlsConnectOptions {
  /** For tls.connect and http2.connect; undefined: Node's defaults. */
  readonly secureContext: tls.SecureContext | undefined;
  /** The same as PEM text, for the blocking sender in a child process. */
  readonly pem: { ca?: string[] | undefined; cert?: string | undefined; key?: string | undefined };
  /** What the connections trust and present, for failure lines. */
  readonly trusted: string;
  readonly clientCertificate: TlsFile | undefined;
  readonly clientCertificateAsked: boolean;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function tlsModule(): typeof tls {
  return require('node:tls') as typeof tls;
}

function read(f: TlsFile): string {
  return fs.readFileSync(f.file, 'utf8');
}

function problem(f: TlsFile, what: string, consequence: string): void {
  diag.warn(`${f.variable}=${f.file}: ${what}; ${consequence}`);
}

function defaultTrust(): string {
  return process.env.NODE_EXTRA_CA_CERTS ? 'the default CAs and NODE_EXTRA_CA_CERTS' : 'the default CAs';
}

/** The PEM certificates of a CA file, each parsed (a TLS context skips bad ones silently); throws with what is wrong. */
function caCertificates(text: string): string[] {
  const { X509Certificate } = require('node:crypto') as typeof import('node:crypto');
  const blocks = text.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('no PEM certificate in it');
  for (const block of blocks) new X509Certificate(block);
  return blocks;
}

/**
 * Reads the TLS files for an exporter sending to `url`; undefined when there is nothing to
 * set (plaintext, or no files configured). `label` names the exporter in lines.
 */
export function loadTlsOptions(url: string, settings: TlsSettings | undefined, label: string): TlsConnectOptions | undefined {
  const files = [settings?.certificate, settings?.clientCertificate, settings?.clientKey].filter((f): f is TlsFile => f !== undefined);
  const secure = new URL(url).protocol === 'https:';
  if (!secure) {
    for (const f of files) diag.warn(`${f.variable} is set but the ${label} endpoint is not https; it is not used`);
    return undefined;
  }
  if (files.length === 0) return undefined;
  const t = tlsModule();
  let ca: string[] | undefined;
  let trusted = defaultTrust();
  const certificate = settings?.certificate;
  if (certificate !== undefined) {
    try {
      ca = caCertificates(read(certificate));
      trusted = `the CAs of ${certificate.variable}=${certificate.file}`;
    } catch (err) {
      problem(certificate, `cannot use it as a CA file (${describeError(err)})`, `the ${label} exporter trusts ${trusted} instead`);
    }
  }
  let cert: string | undefined;
  let key: string | undefined;
  const { clientCertificate, clientKey } = settings ?? {};
  if (clientCertificate !== undefined && clientKey !== undefined) {
    [cert, key] = clientPair(t, clientCertificate, clientKey, label);
  }
  let secureContext: tls.SecureContext | undefined;
  try {
    secureContext = ca === undefined && cert === undefined ? undefined : t.createSecureContext({ ca, cert, key });
  } catch (err) {
    diag.warn(`the ${label} exporter's TLS settings cannot be used together (${describeError(err)}); it uses Node's defaults`);
    return undefined;
  }
  return {
    secureContext,
    pem: { ca, cert, key },
    trusted,
    clientCertificate: cert === undefined ? undefined : clientCertificate,
    clientCertificateAsked: clientCertificate !== undefined,
  };
}

/** The client certificate and key, each read and checked, then checked as a pair. */
function clientPair(t: typeof tls, certFile: TlsFile, keyFile: TlsFile, label: string): [string | undefined, string | undefined] {
  const consequence = `the ${label} exporter presents no client certificate`;
  const crypto = require('node:crypto') as typeof import('node:crypto');
  let cert: string;
  let key: string;
  try {
    cert = read(certFile);
    const block = cert.match(PEM_CERTIFICATE)?.[0];
    if (block === undefined) throw new Error('no PEM certificate in it');
    new crypto.X509Certificate(block);
  } catch (err) {
    problem(certFile, `cannot use it as a client certificate (${describeError(err)})`, consequence);
    return [undefined, undefined];
  }
  try {
    key = read(keyFile);
    crypto.createPrivateKey(key);
  } catch (err) {
    problem(keyFile, `cannot use it as a private key (${describeError(err)})`, consequence);
    return [undefined, undefined];
  }
  try {
    t.createSecureContext({ cert, key });
  } catch (err) {
    problem(certFile, `does not go with the key ${keyFile.variable}=${keyFile.file} (${describeError(err)})`, consequence);
    return [undefined, undefined];
  }
  return [cert, key];
}

// OpenSSL's verification results (X509_V_ERR_*) and Node's host check: the server's certificate was not trusted.
const VERIFY_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// TLS alerts from a server that wanted a (valid) client certificate.
const CLIENT_CERT_ALERTS = new Set([
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

// TLS alert numbers (RFC 8446 §6) as the ERR_SSL_* codes Node names them by.
const ALERTS: Record<string, string> = {
  '42': 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  '46': 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  '48': 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  '49': 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
  '51': 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
  '116': 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  '120': 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
};

/**
 * The code of a TLS failure. Node reports some (on a write, and in older lines) as EPROTO
 * with OpenSSL's text in the message: "...:SSL routines:ssl3_get_record:wrong version
 * number:...", or for an alert only "...:reason(1116):...:SSL alert number 116"; those are
 * turned into the ERR_SSL_* code Node gives elsewhere.
 */
function tlsCode(error: Error): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EPROTO') return code;
  const alert = /SSL alert number (\d+)/.exec(error.message)?.[1];
  if (alert !== undefined && ALERTS[alert] !== undefined) return ALERTS[alert];
  const reason = /SSL routines:[^:]*:([^:]+):/.exec(error.message)?.[1];
  return reason === undefined || reason.startsWith('reason(') ? code : `ERR_SSL_${reason.trim().toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

// The connection ended with no answer: what a server that checks client certificates
// itself (after the handshake, as Node's does) does to one it refuses, without an alert.
const CLOSED = new Set(['ECONNRESET', 'EPIPE']);

/**
 * A TLS failure said plainly (what failed, which setting matters), with its code kept so
 * the sender decides about retrying as before; any other error unchanged.
 */
export function explainTlsError(error: Error, host: string, tlsOptions: TlsConnectOptions | undefined): Error {
  const code = tlsCode(error);
  if (code === undefined) return error;
  const trusted = tlsOptions?.trusted ?? defaultTrust();
  const client = tlsOptions?.clientCertificate;
  let message: string | undefined;
  if (VERIFY_CODES.has(code)) {
    message = `TLS: the certificate of ${host} is not trusted (${error.message}); trusted are ${trusted}`;
  } else if (CLIENT_CERT_ALERTS.has(code)) {
    message =
      client === undefined
        ? `TLS: ${host} requires a client certificate it accepts (${code}); none is configured${tlsOptions?.clientCertificateAsked ? ' that could be used' : ''} (OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY)`
        : `TLS: ${host} refused the client certificate ${client.variable}=${client.file} (${code})`;
  } else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    message = `TLS: ${host} does not speak TLS (${code}); a plaintext collector takes an http:// endpoint`;
  } else if (code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') {
    message = `TLS: ${host} refused the application protocol asked for (${code}): an OTLP/gRPC port given to OTLP/HTTP, or the other way round? OTEL_EXPORTER_OTLP_PROTOCOL chooses`;
  } else if (client !== undefined && CLOSED.has(code)) {
    message = `${error.message} (${host} closed the TLS connection unanswered: it may refuse the client certificate ${client.variable}=${client.file})`;
  }
  return message === undefined ? error : codedError(message, (error as NodeJS.ErrnoException).code ?? code);
}
