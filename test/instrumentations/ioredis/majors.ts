import { afterAll } from 'vitest';
import type IoRedis from 'ioredis';
import { nodeRequire } from '../redis/driver-harness';

export type RedisCtor = typeof IoRedis;

/** Both claimed majors: ioredis 5.x (`ioredis`) and 6.x (npm alias `ioredis6`). */
export function ioredisMajors<C = RedisCtor>(): Array<[string, C]> {
  return [
    ['ioredis', nodeRequire('ioredis') as C],
    ['ioredis6', nodeRequire('ioredis6') as C],
  ];
}

/**
 * Clients a test file writes keys with, each under its own prefix: after the file's tests,
 * those keys are deleted and the clients disconnected. Returns where to add them.
 */
export function cleanedUpClients(): Array<[IoRedis, string]> {
  const clients: Array<[IoRedis, string]> = [];
  afterAll(async () => {
    for (const [c, prefix] of clients) {
      const keys = await c.keys(`${prefix}*`);
      if (keys.length > 0) await c.del(...keys);
      c.disconnect();
    }
  });
  return clients;
}
