import { describe, expect, it } from 'vitest';
import { clientSpanAttributes, originOf, outgoingHeader, outgoingHeaderValues, requestPath, serverSpanAttributes } from '../../../instrumentations/http2/recipes';

describe('http2 recipes', () => {
  it('the origin of a connect authority', () => {
    expect(originOf('http://localhost:8080')).toEqual({ scheme: 'http', host: 'localhost', port: 8080 });
    expect(originOf(new URL('https://example.com'))).toEqual({ scheme: 'https', host: 'example.com', port: 443 });
    expect(originOf('http://[::1]:9000/ignored')).toEqual({ scheme: 'http', host: '::1', port: 9000 });
    expect(originOf('not a url')).toBeUndefined();
  });

  it('outgoing headers, as an object or a flat raw array', () => {
    expect(outgoingHeader({ ':method': 'PUT' }, ':method')).toBe('PUT');
    expect(outgoingHeader([':path', '/x', 'Content-Type', 'application/grpc'], 'content-type')).toBe('application/grpc');
    expect(outgoingHeader(undefined, ':path')).toBeUndefined();
  });

  it('every value of an outgoing header, its name matched whatever its case, as strings', () => {
    expect(outgoingHeaderValues({ 'X-Id': 'a', 'content-length': 2 }, 'x-id')).toEqual(['a']);
    expect(outgoingHeaderValues({ 'content-length': 2 }, 'content-length')).toEqual(['2']);
    expect(outgoingHeaderValues({ 'x-many': ['a', 'b'] }, 'x-many')).toEqual(['a', 'b']);
    expect(outgoingHeaderValues([':path', '/x', 'X-Id', 'a', 'x-id', 'b'], 'x-id')).toEqual(['a', 'b']);
    expect(outgoingHeaderValues({ 'x-id': 'a' }, 'x-other')).toBeUndefined();
    expect(outgoingHeaderValues(undefined, 'x-id')).toBeUndefined();
  });

  it('the path an ignore rule matches: :path without its query', () => {
    expect(requestPath({ ':path': '/health?probe=1' })).toBe('/health');
    expect(requestPath({ ':path': '/internal/x' })).toBe('/internal/x');
    expect(requestPath({})).toBe('/');
  });

  it('CLIENT attributes: GET by default, url.full with a redacted query, unknown methods as _OTHER', () => {
    const origin = { scheme: 'https', host: 'api.test', port: 443 };
    expect(clientSpanAttributes(origin, { ':path': '/a?sig=abc&x=1' })).toEqual({
      'http.request.method': 'GET',
      'network.protocol.version': '2',
      'server.address': 'api.test',
      'server.port': 443,
      'url.full': 'https://api.test/a?sig=REDACTED&x=1',
    });
    expect(clientSpanAttributes(undefined, { ':method': 'BREW' })).toEqual({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'BREW',
      'network.protocol.version': '2',
    });
  });

  it('SERVER attributes from pseudo-headers; client.address from X-Forwarded-For, else the peer', () => {
    const headers = { ':method': 'POST', ':scheme': 'https', ':path': '/p?q=1', ':authority': 'svc:8443', 'user-agent': 'ua', 'x-forwarded-for': '10.0.0.9, 10.0.0.1' };
    expect(serverSpanAttributes(headers, false, '127.0.0.1')).toEqual({
      'http.request.method': 'POST',
      'url.scheme': 'https',
      'url.path': '/p',
      'url.query': 'q=1',
      'network.protocol.version': '2',
      'server.address': 'svc',
      'server.port': 8443,
      'user_agent.original': 'ua',
      'client.address': '10.0.0.9',
    });
    expect(serverSpanAttributes({}, true, '::1')).toMatchObject({ 'http.request.method': '_OTHER', 'url.scheme': 'https', 'url.path': '/', 'client.address': '::1' });
  });
});
