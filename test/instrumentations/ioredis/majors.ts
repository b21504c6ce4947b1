import { afterAll } from 'vitest';
import type IoRedis from 'ioredis';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire } from '../../helpers/tracing';

export type RedisCtor = typeof IoRedis;

/** The majors the registry entry is tested with (ioredis 5.x, and 6.x as `ioredis6`), by installed name. */
export function ioredisMajors<C = RedisCtor>(): Array<[string, C]> {
  return testedPackages('ioredis').map(({ id }) => [id, nodeRequire(id) as C]);
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
