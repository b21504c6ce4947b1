import type * as Http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';

/** Listens on an ephemeral port of 127.0.0.1; resolves the port. */
export function listen(server: Http.Server | import('node:https').Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

export function close(server: { close(cb: () => void): unknown; closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Reads a response to the end. */
export function readBody(res: Http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    res.on('end', () => resolve(body));
    res.on('error', reject);
  });
}

/** Sends a request with `http` and resolves status and body. */
export function send(
  http: typeof Http,
  options: Http.RequestOptions & { body?: string },
): Promise<{ status: number; body: string; headers: Http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }), reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const servers = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SpanKind.SERVER);
export const clients = (spans: SpanRecord[]) => spans.filter((s) => s.kind === SpanKind.CLIENT);

/** W3C traceparent of a span record. */
export function traceparentOf(span: SpanRecord): string {
  return `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`;
}
