import { describe, it, expect, afterAll } from 'vitest';
import type * as Http from 'node:http';
import { setLogSink } from '../../../src/diag';
import { close, listen, send } from './helpers';
import { nodeRequire, startTracing } from '../../helpers/tracing';

// An internal failure of the http instrumentation must cost the app nothing but the spans.
const lines: string[] = [];
setLogSink((l) => lines.push(l));
const { agent, hooks } = startTracing();
const http = nodeRequire('node:http') as typeof Http;
const server = http.createServer((req, res) => res.end(`served ${req.url}`));
afterAll(() => close(server));

describe('http instrumentation failure', () => {
  it('serves the request, disables only http, logs one line', async () => {
    const port = await listen(server);
    const kit = hooks.kit('http')!;
    Object.defineProperty(kit, 'tracer', {
      get() {
        throw new Error('tracer exploded');
      },
    });
    const first = await send(http, { host: '127.0.0.1', port, path: '/one' });
    const second = await send(http, { host: '127.0.0.1', port, path: '/two' });
    expect(first.body).toBe('served /one');
    expect(second.body).toBe('served /two');
    expect(kit.active).toBe(false);
    expect(hooks.kit('fetch')!.active).toBe(true);
    expect(lines.filter((l) => l.includes('http') && l.includes('tracer exploded'))).toHaveLength(1);
    expect(agent.finishedSpans()).toHaveLength(0);
  });
});
