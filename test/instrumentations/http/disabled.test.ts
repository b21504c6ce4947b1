import { describe, it, expect, afterAll } from 'vitest';
import type * as Http from 'node:http';
import { isWrapped } from '../../../src/instrument/wrap';
import { close, listen, send } from './helpers';
import { nodeRequire, startTracing } from '../../helpers/tracing';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=http: the app must behave exactly as with no agent.
const { agent, hooks } = startTracing({ disabled: ['http'] });
const http = nodeRequire('node:http') as typeof Http;
const https = nodeRequire('node:https') as typeof Https;
type Https = typeof import('node:https');

const seen: Http.IncomingHttpHeaders[] = [];
const server = http.createServer((req, res) => {
  seen.push(req.headers);
  res.setHeader('x-echo', String(req.headers['x-in']));
  res.end(`${req.method} ${req.url}`);
});
afterAll(() => close(server));

describe('http disabled', () => {
  it('patches nothing', () => {
    expect(hooks.instrumentations).not.toContain('http');
    expect(isWrapped(http.request)).toBe(false);
    expect(isWrapped(http.get)).toBe(false);
    expect(isWrapped(https.request)).toBe(false);
    expect(isWrapped(http.Server.prototype.emit)).toBe(false);
    expect(isWrapped(http.IncomingMessage.prototype.emit)).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(http.Server.prototype, 'emit')).toBe(false);
  });

  it('requests and responses are untouched and no span is recorded', async () => {
    const port = await listen(server);
    const res = await send(http, { host: '127.0.0.1', port, path: '/x?y=1', headers: { 'x-in': 'v' } });
    expect(res.status).toBe(200);
    expect(res.body).toBe('GET /x?y=1');
    expect(res.headers['x-echo']).toBe('v');
    expect(Object.keys(seen[0]!).sort()).toEqual(['connection', 'host', 'x-in']);
    await new Promise((r) => setTimeout(r, 20));
    expect(agent.finishedSpans()).toHaveLength(0);
  });
});
