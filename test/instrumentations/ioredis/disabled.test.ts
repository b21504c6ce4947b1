import { afterAll, describe, expect, it } from 'vitest';
import type IoRedis from 'ioredis';
import { isWrapped } from '../../../src/instrument';
import { ioredisMajors, type RedisCtor } from './majors';
import { inParent } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=ioredis: the library must run exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['ioredis'] });
const MAJORS = ioredisMajors<RedisCtor & { Pipeline: { prototype: { exec: unknown } } }>();
const clients: IoRedis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

describe.each(MAJORS)('%s disabled', (_pkg, Redis) => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('ioredis');
    expect(isWrapped(Redis.prototype.sendCommand)).toBe(false);
    expect(isWrapped(Redis.prototype.connect)).toBe(false);
    expect(isWrapped(Redis.Pipeline.prototype.exec)).toBe(false);
  });

  it('commands, pipelines and transactions work and record no span', async () => {
    agent.reset();
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    clients.push(redis);
    const k = `${uniquePrefix('ioredis-off')}k`;
    const { result } = await inParent(async () => {
      await redis.set(k, 'v');
      const piped = await redis.pipeline().get(k).exec();
      const multi = await redis.multi().get(k).exec();
      await redis.del(k);
      return { piped, multi };
    });
    expect(result).toEqual({ piped: [[null, 'v']], multi: [[null, 'v']] });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
