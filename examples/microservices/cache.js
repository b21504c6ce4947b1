'use strict';
// The users service's cache: Redis when one answers within a moment, otherwise nothing.
const Redis = require('ioredis');

// Keys are per process start, so a rerun of the demo never finds a warm cache from the last one.
const PREFIX = `waymark-demo:${Date.now()}:`;
const TTL_SECONDS = 60;

const NO_CACHE = { url: undefined, get: async () => null, set: async () => {} };

/** Connects to Redis at `url`; resolves to a cache that does nothing when Redis is not reachable. */
async function connectCache(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 300,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // reported once below; a cache outage must not crash the service
  try {
    await client.connect();
  } catch {
    client.disconnect();
    return NO_CACHE;
  }
  return {
    url,
    get: (key) => client.get(PREFIX + key).catch(() => null),
    set: (key, value) => client.set(PREFIX + key, value, 'EX', TTL_SECONDS).catch(() => {}),
  };
}

module.exports = { connectCache };
