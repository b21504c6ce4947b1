import { describe, it, expect } from 'vitest';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { clientPort, normalizeMethod, serverSpanAttributes, spanNameMethod } from '../../../instrumentations/http/recipes';
import { fetchSpanAttributes, hasHeader } from '../../../instrumentations/fetch/recipes';

// Recipes are pure: plain objects stand in for Node's request objects.

describe('method recipes', () => {
  it('normalises case-sensitively and names unknown methods HTTP', () => {
    expect(normalizeMethod('GET')).toBe('GET');
    expect(normalizeMethod('get')).toBe('_OTHER');
    expect(normalizeMethod('toString')).toBe('_OTHER');
    expect(normalizeMethod(undefined)).toBe('_OTHER');
    expect(spanNameMethod('_OTHER')).toBe('HTTP');
    expect(spanNameMethod('PATCH')).toBe('PATCH');
  });
});

describe('serverSpanAttributes', () => {
  const req = (over: Partial<IncomingMessage>) =>
    ({ method: 'GET', url: '/', httpVersion: '1.1', socket: { remoteAddress: '10.0.0.9' }, ...over }) as IncomingMessage;

  it('reads Host, X-Forwarded-For and the query', () => {
    const r = req({ url: '/p?password=x&a=1' });
    const attrs = serverSpanAttributes(r, { host: '[::1]:8443', 'x-forwarded-for': '203.0.113.7, 10.0.0.1' }, 'https', '/p', 2);
    expect(attrs).toEqual({
      'http.request.method': 'GET',
      'url.scheme': 'https',
      'url.path': '/p',
      'url.query': 'password=REDACTED&a=1',
      'network.protocol.version': '1.1',
      'server.address': '::1',
      'server.port': 8443,
      'client.address': '203.0.113.7',
    });
  });

  it('defaults the port by scheme and falls back to the socket peer', () => {
    const attrs = serverSpanAttributes(req({}), { host: 'example.com' }, 'https', '/', -1);
    expect(attrs['server.port']).toBe(443);
    expect(attrs['client.address']).toBe('10.0.0.9');
    expect(attrs['url.query']).toBeUndefined();
  });
});

describe('clientPort', () => {
  const creq = (host?: string, agentPort?: number) =>
    ({ getHeader: (n: string) => (n === 'host' ? host : undefined), agent: agentPort ? { defaultPort: agentPort } : undefined }) as unknown as ClientRequest;
  it('prefers options, then URL, then Host header, then defaults', () => {
    expect(clientPort(creq('h:1'), [{ port: '8080' }], 'http')).toBe(8080);
    expect(clientPort(creq('h:1'), ['http://h:1/', { port: 9090 }], 'http')).toBe(9090);
    expect(clientPort(creq('h'), [new URL('http://h:7070/')], 'http')).toBe(7070);
    expect(clientPort(creq('h:6060'), ['http://h:6060/'], 'http')).toBe(6060);
    expect(clientPort(creq('h'), ['https://h/'], 'https')).toBe(443);
    expect(clientPort(creq(undefined, 8443), [{}], 'https')).toBe(8443);
  });
});

describe('fetch recipes', () => {
  it('builds attributes from origin and path, without credentials', () => {
    expect(fetchSpanAttributes({ origin: 'https://u:p@api.example.com', method: 'PUT', path: '/v1?sig=abc', headers: [], addHeader: () => {} })).toEqual({
      'http.request.method': 'PUT',
      'server.address': 'api.example.com',
      'server.port': 443,
      'url.full': 'https://api.example.com/v1?sig=REDACTED',
    });
    const other = fetchSpanAttributes({ origin: new URL('http://127.0.0.1:3000'), method: 'PURGE', path: '/', headers: [], addHeader: () => {} });
    expect(other['http.request.method']).toBe('_OTHER');
    expect(other['http.request.method_original']).toBe('PURGE');
    expect(other['server.port']).toBe(3000);
  });

  it('finds existing headers in both undici payload shapes', () => {
    expect(hasHeader(['Traceparent', 'x', 'a', 'b'], 'traceparent')).toBe(true);
    expect(hasHeader(['a', 'traceparent'], 'traceparent')).toBe(false);
    expect(hasHeader('a: b\r\ntraceparent: x\r\n', 'traceparent')).toBe(true);
    expect(hasHeader(undefined, 'traceparent')).toBe(false);
  });
});
