import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { inParent } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { uniquePrefix } from '../../helpers/unique-prefix';
import { connectClient, end, MQTT_LIBS, subscribe } from './clients';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=mqtt: the library runs exactly as unpatched.
const { agent, hooks } = startTracing({ disabled: ['mqtt'] });

describe.each(MQTT_LIBS)('$label with mqtt disabled', (lib) => {
  it('patches nothing; an MQTT 5 message goes out as built (no user properties), no span is recorded', async () => {
    expect(hooks.instrumentations).not.toContain('mqtt');
    agent.reset();
    const client = await connectClient(lib, 5);
    const proto = Object.getPrototypeOf(client) as Record<string, unknown>;
    expect(isWrapped(proto.publish)).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(proto, 'emit')).toBe(false);
    const topic = `${uniquePrefix('mqttoff').replace(/[^A-Za-z0-9]/g, '_')}/x`;
    await subscribe(client, topic);
    const got = new Promise<unknown>((resolve) => client.once('message', (_t: string, _p: Buffer, packet: { properties?: unknown }) => resolve(packet.properties)));
    await inParent(() => new Promise<void>((resolve) => client.publish(topic, 'plain', { qos: 1 }, () => resolve())));
    expect(await got).toBeUndefined();
    expect(agent.finishedSpans().map((s) => s.name)).toEqual(['parent']);
    await end(client);
  });
});
