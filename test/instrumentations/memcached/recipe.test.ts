import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { MAX_KEY_LENGTH, MAX_KEYS, MEMCACHED_OUTCOME, memcachedCommandSpec } from '../../../instrumentations/memcached/recipe';

// The recipe is pure: plain objects in, span specs out.
const one = { servers: ['cache.internal:11311'] };

describe('memcached recipe', () => {
  it('`memcached <command>`, its key and lifetime; the command line and value are never read', () => {
    const query = { type: 'set', key: 'user:1', lifetime: 60, value: 'secret', command: 'set user:1 0 60 6\r\nsecret' };
    expect(memcachedCommandSpec({ query, client: one, server: undefined })).toEqual({
      name: 'memcached set',
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'memcached',
        'db.operation.name': 'set',
        'db.memcached.key': 'user:1',
        'db.memcached.lifetime': 60,
        'server.address': 'cache.internal',
        'server.port': 11311,
      },
    });
  });

  it('the server the caller named wins; a server without a port is on 11211; a unix socket has none', () => {
    const spec = (server: unknown, client: object = one) => memcachedCommandSpec({ query: { type: 'version' }, client, server }).attributes!;
    expect(spec('10.0.0.2:11212')).toMatchObject({ 'server.address': '10.0.0.2', 'server.port': 11212 });
    expect(spec('cache')).toMatchObject({ 'server.address': 'cache', 'server.port': 11211 });
    expect(spec('/run/memcached.sock')).toEqual({ 'db.system.name': 'memcached', 'db.operation.name': 'version', 'server.address': '/run/memcached.sock' });
  });

  it("several servers: the ring's pick for the key; none for a key list without a named server", () => {
    const client = { servers: ['a:1', 'b:2'], HashRing: { get: (key: string) => (key === 'k' ? 'b:2' : 'a:1') } };
    expect(memcachedCommandSpec({ query: { type: 'get', key: 'k' }, client, server: undefined }).attributes!['server.address']).toBe('b:2'.split(':')[0]);
    expect(memcachedCommandSpec({ query: { type: 'get', key: ['k'] }, client, server: undefined }).attributes!['server.address']).toBeUndefined();
  });

  it(`a key list is kept as a list, at most ${MAX_KEYS} keys`, () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const attrs = memcachedCommandSpec({ query: { type: 'get', key: keys }, client: one, server: undefined }).attributes!;
    expect(attrs['db.memcached.key']).toEqual(keys.slice(0, MAX_KEYS));
  });

  it(`a key is kept up to ${MAX_KEY_LENGTH} characters`, () => {
    const long = 'k'.repeat(10_000);
    expect(memcachedCommandSpec({ query: { type: 'get', key: long }, client: one, server: undefined }).attributes!['db.memcached.key']).toBe(long.slice(0, MAX_KEY_LENGTH));
    const attrs = memcachedCommandSpec({ query: { type: 'get', key: [long, 'short'] }, client: one, server: undefined }).attributes!;
    expect(attrs['db.memcached.key']).toEqual([long.slice(0, MAX_KEY_LENGTH), 'short']);
  });

  it('no command type: the span is named after the system', () => {
    expect(memcachedCommandSpec({ query: {}, client: {}, server: undefined }).name).toBe('memcached');
  });

  it("NOT_STORED is the failure's status code; other errors have none", () => {
    const err = Object.assign(new Error('Item is not stored'), { notStored: true });
    expect(MEMCACHED_OUTCOME.errorAttributes!(err)).toEqual({ 'db.response.status_code': 'NOT_STORED' });
    expect(MEMCACHED_OUTCOME.errorAttributes!(new Error('connect ECONNREFUSED'))).toBeUndefined();
  });
});
