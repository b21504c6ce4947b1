import { describe, expect, it } from 'vitest';
import type * as Http2 from 'node:http2';
import { isWrapped } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { nodeRequire, startTracing } from '../../helpers/tracing';
import { listen, request } from './helpers';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=http2: node:http2 must run exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['http2'] });
const http2 = nodeRequire('node:http2') as typeof Http2;

describe('http2 disabled', () => {
  it('patches nothing; requests carry no traceparent; no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('http2');
    for (const f of [http2.connect, http2.createServer, http2.createSecureServer]) expect(isWrapped(f)).toBe(false);
    const server = http2.createServer((req, res) => res.end(String(req.headers.traceparent ?? 'none')));
    expect(isWrapped(server.emit)).toBe(false);
    const origin = await listen(server);
    const { result } = await inParent(() => request(http2, origin, '/plain'));
    server.close();
    expect(result).toEqual({ status: 200, body: 'none' });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
