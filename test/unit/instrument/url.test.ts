import { describe, it, expect } from 'vitest';
import { buildFullUrl, hostAddress, hostPort, redactQuery, sanitizeUrl, splitHostPort } from '../../../src/instrument/url';

describe('redactQuery', () => {
  it('redacts secret-looking parameters only', () => {
    expect(redactQuery('a=1&token=abc&b=2')).toBe('a=1&token=REDACTED&b=2');
    expect(redactQuery('API_KEY=k&sig=s&Signature=x&access_token=t&password=p')).toBe(
      'API_KEY=REDACTED&sig=REDACTED&Signature=REDACTED&access_token=REDACTED&password=REDACTED',
    );
    expect(redactQuery('X-Amz-Signature=zzz&page=2')).toBe('X-Amz-Signature=REDACTED&page=2');
    expect(redactQuery('acc%65ss_token=t')).toBe('acc%65ss_token=REDACTED');
  });

  it('returns the same string when nothing is secret', () => {
    const q = 'page=2&sort=asc&tokenize=yes&flag';
    expect(redactQuery(q)).toBe(q);
    expect(redactQuery('')).toBe('');
  });
});

describe('URLs for url.full', () => {
  it('builds without default ports, with brackets for IPv6, query redacted', () => {
    expect(buildFullUrl('http', 'example.com', 80, '/a?token=x')).toBe('http://example.com/a?token=REDACTED');
    expect(buildFullUrl('https', 'example.com', 8443, '/')).toBe('https://example.com:8443/');
    expect(buildFullUrl('http', '::1', 3000, '')).toBe('http://[::1]:3000/');
  });

  it('sanitizeUrl redacts credentials and secrets and drops the fragment', () => {
    expect(sanitizeUrl('https://user:pw@example.com/p?q=1&api_key=k#frag')).toBe(
      'https://REDACTED:REDACTED@example.com/p?q=1&api_key=REDACTED',
    );
    expect(sanitizeUrl(new URL('http://example.com/x?a=b'))).toBe('http://example.com/x?a=b');
    expect(sanitizeUrl('not a url')).toBeUndefined();
  });

  it('splits Host headers', () => {
    expect(splitHostPort('example.com:8080')).toEqual({ address: 'example.com', port: 8080 });
    expect(splitHostPort('example.com')).toEqual({ address: 'example.com', port: undefined });
    expect(splitHostPort('[::1]:80')).toEqual({ address: '::1', port: 80 });
    expect(splitHostPort('[::1]')).toEqual({ address: '::1', port: undefined });
    expect(splitHostPort('h:notaport')).toEqual({ address: 'h', port: undefined });
    for (const h of ['example.com:8080', 'example.com', '[::1]:80', '[::1]', 'h:notaport', 'h:', 'h:99999', '::1', '[::1]x']) {
      expect({ address: hostAddress(h), port: hostPort(h) }).toEqual(splitHostPort(h));
    }
  });
});
