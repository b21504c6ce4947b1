import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { trace } from '@opentelemetry/api';
import { waitForServerSpans, waitForSpansOf } from '../../helpers/spans';
import { nodeRequire } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { MEMCACHED_SERVER, setupMemcached } from './helpers';

// One client with a pool of 2 sockets shared by concurrent requests: most commands go over
// a socket another request opened, and the client calls back from that socket's events.
const { agent, Memcached } = setupMemcached({ enabled: ['http', 'memcached'] });
const http = nodeRequire('node:http') as typeof import('node:http');
const client = new Memcached(MEMCACHED_SERVER, { poolSize: 2 });
const P = uniquePrefix('memcached-ctx').replace(/:$/, '');
let server: Server;
let base: string;

const activeId = () => trace.getActiveSpan()?.spanContext().spanId;

// set, then get inside set's callback; answers with the span ids active in each callback.
function handle(req: IncomingMessage, res: ServerResponse): void {
  const key = `${P}:${req.url!.slice(1)}`;
  const seen: Record<string, string | undefined> = { handler: activeId() };
  client.set(key, req.url, 60, (err: Error | undefined) => {
    seen.set = activeId();
    if (err) return void res.writeHead(500).end(err.message);
    client.get(key, (err2: Error | undefined, value: string) => {
      seen.get = activeId();
      res.end(JSON.stringify({ value, seen }));
    });
  });
}

beforeAll(async () => {
  server = http.createServer(handle).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  client.end();
});
beforeEach(() => agent.reset());

describe('memcached under concurrent http requests', () => {
  it('40 concurrent requests over a pool of 2 sockets: spans and callbacks belong to their own request', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const bodies = (await Promise.all(ids.map((id) => fetch(`${base}/${id}`).then((r) => r.json())))) as Array<{
      value: string;
      seen: Record<string, string>;
    }>;
    expect(bodies.map((b) => b.value)).toEqual(ids.map((id) => `/${id}`));
    const servers = await waitForServerSpans(agent, 40);
    const commands = await waitForSpansOf(agent, 'memcached', 80);
    const serverIds = new Set(servers.map((s) => s.spanId));
    for (const { seen } of bodies) {
      expect(serverIds.has(seen.handler!)).toBe(true);
      expect(seen).toEqual({ handler: seen.handler, set: seen.handler, get: seen.handler });
    }
    for (const srv of servers) {
      const children = commands.filter((c) => c.parentSpanId === srv.spanId);
      expect(children.map((c) => c.name).sort()).toEqual(['memcached get', 'memcached set']);
      const key = `${P}:${String(srv.attributes['url.path']).slice(1)}`;
      expect(children.map((c) => c.attributes['db.memcached.key'])).toEqual([key, key]);
    }
  });
});
