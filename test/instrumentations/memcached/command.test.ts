import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { spansOf } from '../../helpers/spans';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { MEMCACHED_SERVER, callback, setupMemcached } from './helpers';

const { agent, Memcached } = setupMemcached({ enabled: ['memcached'] });
const tracer = trace.getTracer('test');
const P = uniquePrefix('memcached').replace(/:$/, '');
const client = new Memcached(MEMCACHED_SERVER);
const SECRET = 'value-that-must-not-leave';

afterAll(() => client.end());
beforeEach(() => agent.reset());

const SERVER = { 'db.system.name': 'memcached', 'server.address': '127.0.0.1', 'server.port': 11211 };

/** Every attribute value of every span, flattened to text (a value must be in none). */
function allAttributeText(): string {
  return JSON.stringify(agent.finishedSpans().map((s) => s.attributes));
}

describe('memcached commands', () => {
  it('patches Memcached#command', () => {
    expect(isWrapped(Memcached.prototype.command)).toBe(true);
    expect(Memcached.prototype.command.name).toBe('memcachedCommand');
  });

  it('set then get: one CLIENT span each, `memcached <command>`, keys and lifetime kept, the value never', async () => {
    const set = await callback((cb) => client.set(`${P}:a`, SECRET, 60, cb));
    expect(set.args).toEqual([undefined, true]);
    const get = await callback((cb) => client.get(`${P}:a`, cb));
    expect(get.args).toEqual([undefined, SECRET]);
    const spans = spansOf(agent, 'memcached');
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ['memcached set', SpanKind.CLIENT],
      ['memcached get', SpanKind.CLIENT],
    ]);
    expect(spans[0]!.attributes).toEqual({ ...SERVER, 'db.operation.name': 'set', 'db.memcached.key': `${P}:a`, 'db.memcached.lifetime': 60 });
    expect(spans[1]!.attributes).toEqual({ ...SERVER, 'db.operation.name': 'get', 'db.memcached.key': `${P}:a` });
    for (const s of spans) expect(s.status.code).toBe(SpanStatusCode.UNSET);
    expect(allAttributeText()).not.toContain(SECRET);
  });

  it('the callback runs once, with the client\'s `this` and arguments, in the caller\'s context after the span ended', async () => {
    let calls = 0;
    const seen = await tracer.startActiveSpan('caller', (caller) =>
      callback((cb) =>
        client.get(`${P}:missing`, function (this: unknown, ...args: unknown[]) {
          calls++;
          expect(spansOf(agent, 'memcached')).toHaveLength(1);
          cb.call(this, ...args, trace.getActiveSpan()?.spanContext().spanId);
        }),
      ).then((r) => {
        caller.end();
        return { ...r, caller: caller.spanContext().spanId };
      }),
    );
    expect(seen.args).toEqual([undefined, undefined, seen.caller]);
    expect((seen.self as { type: string }).type).toBe('get');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    const [span] = spansOf(agent, 'memcached');
    expect(span!.parentSpanId).toBe(seen.caller);
  });

  it('getMulti: one span per server command, the keys as a list; del, incr, touch, replace', async () => {
    await callback((cb) => client.set(`${P}:n`, 1, 60, cb));
    const multi = await callback((cb) => client.getMulti([`${P}:n`, `${P}:none`], cb));
    expect(multi.args).toEqual([undefined, { [`${P}:n`]: 1 }]);
    expect((await callback((cb) => client.incr(`${P}:n`, 5, cb))).args).toEqual([undefined, 6]);
    expect((await callback((cb) => client.touch(`${P}:n`, 30, cb))).args).toEqual([undefined, true]);
    expect((await callback((cb) => client.replace(`${P}:n`, SECRET, 30, cb))).args).toEqual([undefined, true]);
    expect((await callback((cb) => client.del(`${P}:n`, cb))).args).toEqual([undefined, true]);
    const spans = spansOf(agent, 'memcached');
    expect(spans.map((s) => s.name)).toEqual([
      'memcached set',
      'memcached get',
      'memcached incr',
      'memcached touch',
      'memcached replace',
      'memcached delete',
    ]);
    expect(spans[1]!.attributes['db.memcached.key']).toEqual([`${P}:n`, `${P}:none`]);
    expect(allAttributeText()).not.toContain(SECRET);
  });

  it('a command without a callback: one span, ended at return; the client drops it as without the agent', async () => {
    // The client's validation wants a callback: without one, nothing is sent. A wrapper that
    // gave it one would change that (the value would be stored).
    expect(client.set(`${P}:fire`, SECRET, 60)).toBeUndefined();
    const [span] = spansOf(agent, 'memcached');
    expect(span!.name).toBe('memcached set');
    await new Promise((r) => setTimeout(r, 100));
    expect((await callback((cb) => client.get(`${P}:fire`, cb))).args).toEqual([undefined, undefined]);
  });

  it('add on an existing key: the callback gets the NOT_STORED error, recorded on the span', async () => {
    await callback((cb) => client.set(`${P}:taken`, 'x', 60, cb));
    const { args } = await callback((cb) => client.add(`${P}:taken`, 'y', 60, cb));
    expect((args[0] as { notStored: boolean }).notStored).toBe(true);
    const span = spansOf(agent, 'memcached')[1]!;
    expect(span.name).toBe('memcached add');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['db.response.status_code']).toBe('NOT_STORED');
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('a key the client rejects: its validation error reaches the callback and the span', async () => {
    const { args } = await callback((cb) => client.get('a key with spaces', cb));
    expect((args[0] as Error).message).toMatch(/whitespace/);
    const [span] = spansOf(agent, 'memcached');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('connection refused: ECONNREFUSED reaches the callback and the span, with the server it tried', async () => {
    const dead = new Memcached('127.0.0.1:1', { retries: 0, timeout: 500, failures: 0 });
    const { args } = await callback((cb) => dead.get(`${P}:k`, cb));
    dead.end();
    expect((args[0] as { code: string }).code).toBe('ECONNREFUSED');
    const [span] = spansOf(agent, 'memcached');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('ECONNREFUSED');
    expect(span!.attributes['server.port']).toBe(1);
  });

  it('two servers: each span names the server the ring picked for its key', async () => {
    const two = new Memcached(['127.0.0.1:11211', 'localhost:11211']);
    const keys = Array.from({ length: 40 }, (_, i) => `${P}:ring${i}`);
    for (const k of keys) await callback((cb) => two.set(k, 'v', 60, cb));
    two.end();
    const spans = spansOf(agent, 'memcached');
    expect(spans.map((s) => s.attributes['server.address'])).toEqual(keys.map((k) => (two.HashRing.get(k) as string).split(':')[0]));
    expect(new Set(spans.map((s) => s.attributes['server.address'])).size).toBe(2);
  });
});
