import { describe, expect, it } from 'vitest';
import type * as Http2 from 'node:http2';
import { SpanKind } from '@opentelemetry/api';
import { pollSpans } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { listen, request } from './helpers';

// A framework on the compat API names the http2 SERVER span by its route, as over http:
// the compat request carries the span (the kit's setServerRoute reads it).
const { agent } = startTracing({ enabled: ['http2', 'koa'] });
const http2 = nodeRequire('node:http2') as typeof Http2;
/* eslint-disable @typescript-eslint/no-explicit-any */
const Koa = nodeRequire('koa') as any;
const Router = nodeRequire('@koa/router') as any;

describe('Koa over the http2 compat API', () => {
  it('the SERVER span is named by the route', async () => {
    const router = new Router();
    router.get('/items/:id', (ctx: any) => (ctx.body = `item ${ctx.params.id}`));
    const app = new Koa();
    app.use(router.routes());
    const server = http2.createServer(app.callback());
    const origin = await listen(server);
    const result = await request(http2, origin, '/items/7');
    server.close();
    expect(result).toEqual({ status: 200, body: 'item 7' });
    const s = await pollSpans(agent, (spans) => spans.find((x) => x.kind === SpanKind.SERVER), 'the server span');
    expect(s.name).toBe('GET /items/:id');
    expect(s.attributes).toMatchObject({ 'http.route': '/items/:id', 'url.path': '/items/7', 'http.response.status_code': 200, 'network.protocol.version': '2' });
  });
});
