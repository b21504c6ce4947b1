import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { isWrapped } from '../../../src/instrument/wrap';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { MEMCACHED_SERVER, callback, setupMemcached } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=memcached: the client behaves exactly as with no agent.
const { agent, hooks, Memcached } = setupMemcached({ disabled: ['memcached'] });
const tracer = trace.getTracer('test');
const P = uniquePrefix('memcached-off').replace(/:$/, '');

describe('memcached disabled', () => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('memcached');
    expect(isWrapped(Memcached.prototype.command)).toBe(false);
  });

  it('same results and errors, and no memcached span', async () => {
    await tracer.startActiveSpan('parent', async (span) => {
      const client = new Memcached(MEMCACHED_SERVER);
      expect((await callback((cb) => client.set(`${P}:a`, 'v', 60, cb))).args).toEqual([undefined, true]);
      expect((await callback((cb) => client.get(`${P}:a`, cb))).args).toEqual([undefined, 'v']);
      const { args } = await callback((cb) => client.add(`${P}:a`, 'w', 60, cb));
      expect((args[0] as { notStored: boolean }).notStored).toBe(true);
      client.end();
      span.end();
    });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
