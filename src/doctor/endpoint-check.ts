import { randomBytes } from 'node:crypto';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { now } from '../clock';
import type { AgentConfig } from '../config';
import { describeError, setLogLevel, type LogLevel } from '../diag';
import { maskUrl } from '../mask';
import { OtlpHttpExporter } from '../export/otlp-http-exporter';
import type { Resource, SpanExporter, SpanRecord } from '../export/span-record';
import { ZipkinExporter } from '../export/zipkin-exporter';

/** The outcome of sending one test span through one configured exporter. */
export interface EndpointFinding {
  readonly exporter: string;
  readonly target: string;
  readonly ok: boolean;
  /** `accepted in N ms`, or the exporter's error. */
  readonly detail: string;
}

/** The longest the check waits for an answer, whatever the configured timeout. */
const CHECK_TIMEOUT_MS = 5000;

function testSpan(serviceName: string): SpanRecord {
  const t = now();
  return {
    name: 'waymark doctor',
    kind: SpanKind.INTERNAL,
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: undefined,
    parentIsRemote: undefined,
    traceFlags: 1,
    traceState: undefined,
    startTime: t,
    endTime: t,
    attributes: { 'waymark.doctor': true, 'service.name': serviceName },
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: SpanStatusCode.UNSET },
    scope: { name: 'waymark-doctor' },
  };
}

async function sendOne(exporter: SpanExporter, span: SpanRecord, level: LogLevel): Promise<{ ok: boolean; detail: string }> {
  const start = Date.now();
  // One attempt: a refused connection is the answer, not something to retry for seconds.
  exporter.endRetries?.();
  // The exporter's own warning would repeat what the report says.
  setLogLevel('none');
  try {
    const result = await exporter.export([span]);
    if (result.ok) return { ok: true, detail: `accepted in ${Date.now() - start} ms` };
    return { ok: false, detail: result.error ? describeError(result.error) : 'failed' };
  } catch (err) {
    return { ok: false, detail: describeError(err) };
  } finally {
    setLogLevel(level);
    await exporter.shutdown();
  }
}

/** Sends one test span with the real exporter of each configured network exporter. */
export async function checkEndpoints(config: AgentConfig): Promise<EndpointFinding[]> {
  const resource: Resource = { attributes: config.resourceAttributes };
  const span = testSpan(config.serviceName);
  const out: EndpointFinding[] = [];
  for (const name of config.exporters) {
    if (name === 'otlp') {
      const timeoutMs = Math.min(config.otlp.timeoutMs, CHECK_TIMEOUT_MS);
      const exporter = new OtlpHttpExporter({ ...config.otlp, timeoutMs, resource });
      out.push({ exporter: `otlp (${config.otlp.protocol})`, target: maskUrl(config.otlp.url), ...(await sendOne(exporter, span, config.logLevel)) });
    } else if (name === 'zipkin') {
      const timeoutMs = Math.min(config.zipkin.timeoutMs, CHECK_TIMEOUT_MS);
      const exporter = new ZipkinExporter({ ...config.zipkin, timeoutMs, serviceName: config.serviceName, resource });
      out.push({ exporter: 'zipkin', target: maskUrl(config.zipkin.url), ...(await sendOne(exporter, span, config.logLevel)) });
    }
  }
  return out;
}
