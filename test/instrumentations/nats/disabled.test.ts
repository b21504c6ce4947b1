import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { natsClients, text } from './clients';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=nats: the library runs exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['nats'] });

describe.each(natsClients())('$label with nats disabled', (client) => {
  it('patches nothing; a message goes out as built (no header block), no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('nats');
    agent.reset();
    const nc = await client.connect();
    expect(isWrapped((Object.getPrototypeOf(nc) as Record<string, unknown>).publish)).toBe(false);
    expect(isWrapped((Object.getPrototypeOf(nc.protocol) as Record<string, unknown>).publish)).toBe(false);
    const subj = `${uniquePrefix('natsoff').replace(/[^A-Za-z0-9]/g, '_')}.x`;
    const got = new Promise<{ headers: unknown; body: string }>((resolve) => {
      nc.subscribe(subj, { callback: (_e: unknown, m: { headers: unknown; data: Uint8Array }) => resolve({ headers: m.headers, body: text(m.data) }) });
    });
    await nc.flush();
    await inParent(async () => nc.publish(subj, 'plain'));
    expect(await got).toEqual({ headers: undefined, body: 'plain' });
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
    await nc.close();
  });
});
