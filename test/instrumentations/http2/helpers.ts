import type * as Http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

/** A GET (or `method`) over a fresh session; resolves with the status, body and response headers. */
export function request(
  http2: typeof Http2,
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; connect?: Http2.SecureClientSessionOptions } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin, options.connect);
    session.on('error', reject);
    const stream = session.request({ ':method': options.method ?? 'GET', ':path': path, ...options.headers });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => (body += d));
    stream.on('error', reject);
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.end();
  });
}

/** Listens on 127.0.0.1 (any port); resolves with the origin. */
export async function listen(server: Http2.Http2Server | Http2.Http2SecureServer, scheme = 'http'): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
