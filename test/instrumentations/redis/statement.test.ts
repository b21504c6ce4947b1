import { describe, expect, it } from 'vitest';
import {
  hasValidSpan as hasParent,
  redisBatchError as firstBatchError,
  redisBatchQueryText,
  redisBatchSpec as batchSpec,
  redisCommandSpec as commandSpec,
  redisErrorPrefix,
  redisQueryText,
  REDIS_QUERY_TEXT_MAX,
} from '../../../src/instrument';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';

// Pure recipes: plain values in, strings and specs out.
describe('redisQueryText', () => {
  const cases: Array<[string, unknown[], string]> = [
    ['get', ['k'], 'GET k'],
    ['SET', ['k', 'v', 'EX', 10], 'SET k ? ? ?'],
    ['hset', ['h', 'f1', 'v1', 'f2', 'v2'], 'HSET h f1 ? f2 ?'],
    ['HMSET', ['h', 'f1', 'v1'], 'HMSET h f1 ?'],
    ['MSET', ['a', '1', 'b', '2'], 'MSET a ? b ?'],
    ['DEL', ['a', 'b', 'c'], 'DEL a b c'],
    ['MGET', ['a', 'b'], 'MGET a b'],
    ['HINCRBY', ['h', 'f', 5], 'HINCRBY h f ?'],
    ['EVAL', ["return 'x'", '2', 'k1', 'k2', 'a1'], 'EVAL ? 2 k1 k2 ?'],
    ['EVALSHA', ['abc123', 1, 'k1', 'a1', 'a2'], 'EVALSHA abc123 1 k1 ? ?'],
    ['EVAL', ['s', 'not-a-number', 'x'], 'EVAL ? not-a-number ?'],
    ['AUTH', ['user', 'password'], 'AUTH ? ?'],
    ['HELLO', ['3', 'AUTH', 'u', 'p'], 'HELLO ? ? ? ?'],
    ['CONFIG', ['SET', 'requirepass', 'pw'], 'CONFIG SET ? ?'],
    ['SOMENEWCOMMAND', ['x', 'y'], 'SOMENEWCOMMAND ? ?'],
    ['PING', [], 'PING'],
    ['GET', [Buffer.from('bufkey')], 'GET bufkey'],
    ['GET', [{ weird: true }], 'GET ?'],
  ];
  it.each(cases)('%s %j -> %s', (name, args, expected) => {
    expect(redisQueryText(name, args)).toBe(expected);
  });

  it('is bounded, per argument and in total', () => {
    const longKey = 'k'.repeat(1000);
    expect(redisQueryText('GET', [longKey])).toBe(`GET ${'k'.repeat(128)}`);
    const many = Array.from({ length: 5000 }, (_, i) => `key${i}`);
    const text = redisQueryText('DEL', many);
    expect(text.length).toBe(REDIS_QUERY_TEXT_MAX);
    expect(text.startsWith('DEL key0 key1 ')).toBe(true);
    expect(redisQueryText('DEL', many, 20)).toBe('DEL key0 key1 key2 k');
  });

  it('never throws on odd input', () => {
    expect(redisQueryText('', [])).toBe('');
    expect(redisQueryText('GET', [null, undefined, Symbol('s'), 1n])).toBe('GET ? ? ? 1');
    expect(redisQueryText('GET', undefined as unknown as unknown[])).toBe('GET');
  });
});

describe('redisBatchQueryText', () => {
  it('joins the commands with "; " and stops at the bound', () => {
    const cmds = [
      { name: 'set', args: ['a', 'secret'] },
      { name: 'get', args: ['a'] },
    ];
    expect(redisBatchQueryText(cmds)).toBe('SET a ?; GET a');
    const many = Array.from({ length: 1000 }, (_, i) => ({ name: 'GET', args: [`key${i}`] }));
    expect(redisBatchQueryText(many).length).toBe(REDIS_QUERY_TEXT_MAX);
    expect(redisBatchQueryText([])).toBe('');
  });
});

describe('recipes', () => {
  const server = { address: 'cache', port: 6380, db: 5 };
  it('commandSpec', () => {
    expect(commandSpec(server, { name: 'get', args: ['k'] })).toEqual({
      name: 'GET',
      kind: 2,
      attributes: {
        'db.system.name': 'redis',
        'db.operation.name': 'GET',
        'db.query.text': 'GET k',
        'db.namespace': '5',
        'server.address': 'cache',
        'server.port': 6380,
      },
    });
  });
  it('batchSpec counts two or more commands', () => {
    const two = batchSpec(server, 'MULTI', [
      { name: 'incr', args: ['a'] },
      { name: 'incr', args: ['b'] },
    ]);
    expect(two.name).toBe('MULTI');
    expect(two.attributes!['db.operation.batch.size']).toBe(2);
    expect(batchSpec(server, 'PIPELINE', [{ name: 'get', args: ['a'] }]).attributes!['db.operation.batch.size']).toBeUndefined();
  });
  it('redisErrorPrefix and firstBatchError', () => {
    expect(redisErrorPrefix(new Error('WRONGTYPE Operation against a key'))).toBe('WRONGTYPE');
    expect(redisErrorPrefix(new Error('connection lost'))).toBeUndefined();
    expect(redisErrorPrefix('ERR x')).toBeUndefined();
    const e = new Error('ERR x');
    expect(firstBatchError([[null, 1], [e, null]])).toBe(e);
    expect(firstBatchError([[null, 'OK'], [null, [1, e]]])).toBe(e);
    expect(firstBatchError(['OK', 1])).toBeUndefined();
    expect(firstBatchError(undefined)).toBeUndefined();
  });
  it('hasParent needs a valid span in the context', () => {
    expect(hasParent(ROOT_CONTEXT)).toBe(false);
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    expect(hasParent(ctx)).toBe(true);
    expect(hasParent(trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }))).toBe(false);
  });
});
