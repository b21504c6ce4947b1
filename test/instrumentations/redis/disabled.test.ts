import { afterAll, describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { closeClient, nodeRedisMajors, type NodeRedis } from './clients';
import { inParent } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=redis: the library must run exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['redis'] });
const opened: NodeRedis[] = [];
afterAll(async () => {
  for (const c of opened) await closeClient(c);
});

describe.each(nodeRedisMajors())('%s disabled', (_pkg, createClient) => {
  it('patches nothing, commands and batches work, no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('redis');
    const client = createClient({ socket: { host: '127.0.0.1', port: 6379 } });
    client.on('error', () => {});
    opened.push(client);
    expect(isWrapped(client.sendCommand)).toBe(false);
    expect(isWrapped(client.connect)).toBe(false);
    await client.connect();
    agent.reset();
    const k = `${uniquePrefix('redis-off')}k`;
    const { result } = await inParent(async () => {
      await client.set(k, 'v');
      const multi = await client.multi().get(k).exec();
      const piped = await client.multi().get(k).execAsPipeline();
      await client.del(k);
      return { multi, piped };
    });
    expect(result).toEqual({ multi: ['v'], piped: ['v'] });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
  });
});
