import type { Instrumentation, InstrumentationKit, MakeWrapper, ModuleTarget } from '../../src/instrument';
import { diag, ownerOf } from '../../src/instrument';
import { publishSpec, requestSpec } from './recipe';
import { wrapConsumerPush } from './wrap-consumer';
import { wrapInject } from './wrap-inject';
import { wrapIterate } from './wrap-iterate';
import { wrapSend } from './wrap-send';
import { wrapSubscribe } from './wrap-subscribe';

/**
 * NATS: `nats` 2.x and the 3.x packages (`@nats-io/nats-core` under
 * `@nats-io/transport-node`, `@nats-io/jetstream`), which share one layout of classes.
 * - PRODUCER spans: `publish <subject>` and `request <subject>` of a connection,
 *   `publish <subject>` of a JetStream client (ended by the stream's ack);
 * - the protocol handler's `publish`, which every message goes through, carries the send
 *   span's context in the message headers;
 * - CONSUMER spans `process <subscription>` for each message of a subscription or of a
 *   JetStream consumer, whether a callback or a `for await` loop reads it.
 * Not traced: the legacy JetStream subscriptions of nats 2 (`js.subscribe`,
 * `js.pullSubscribe`, `js.fetch`), which deliver through an inbox subscription, and
 * `msg.respond()`, which sends without a span (a reply goes to the requester's inbox).
 * The `for await` loop of a nats 2 ordered consumer gets a process span only as long as
 * the library moves the message from its inner consumer to the loop's queue.
 */

type Make = (kit: InstrumentationKit) => MakeWrapper;
interface Patch {
  readonly className: string;
  readonly method: string;
  readonly make: Make;
}

const send = (recipe: typeof publishSpec): Make => (kit) => wrapSend(kit, recipe);
const CONNECTION: Patch[] = [
  { className: 'NatsConnectionImpl', method: 'publish', make: send(publishSpec) },
  { className: 'NatsConnectionImpl', method: 'request', make: send(requestSpec) },
];
const PROTOCOL: Patch[] = [
  { className: 'ProtocolHandler', method: 'publish', make: wrapInject },
  { className: 'ProtocolHandler', method: 'subscribe', make: wrapSubscribe },
];
const ITERATOR: Patch[] = [{ className: 'QueuedIteratorImpl', method: 'iterate', make: wrapIterate }];
const JS_CLIENT: Patch[] = [{ className: 'JetStreamClientImpl', method: 'publish', make: send(publishSpec) }];
const JS_CONSUMER: Patch[] = [{ className: 'PullConsumerMessagesImpl', method: '_push', make: wrapConsumerPush }];

/** The patches of each target file (nats 2 and the 3.x packages name them apart). */
const PATCHES: Record<string, Patch[]> = {
  'lib/nats-base-client/nats.js': CONNECTION,
  'lib/nats-base-client/protocol.js': PROTOCOL,
  'lib/nats-base-client/queued_iterator.js': ITERATOR,
  'lib/jetstream/jsclient.js': JS_CLIENT,
  'lib/jetstream/consumer.js': JS_CONSUMER,
  'lib/nats.js': CONNECTION,
  'lib/protocol.js': PROTOCOL,
  'lib/queued_iterator.js': ITERATOR,
  'lib/jsclient.js': JS_CLIENT,
  'lib/consumer.js': JS_CONSUMER,
};

function owner(moduleExports: unknown, patch: Patch) {
  const cls = (moduleExports as Record<string, unknown> | null)?.[patch.className];
  return ownerOf(cls, patch.method);
}

function patchesOf(target: ModuleTarget): Patch[] {
  const patches = target.file === undefined ? undefined : PATCHES[target.file];
  if (patches === undefined) throw new Error(`nats: no patches for ${target.module}/${String(target.file)}`);
  return patches;
}

/** Patches of nats: see above; each file's classes as its module exports them. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    for (const p of patchesOf(target)) {
      const proto = owner(moduleExports, p);
      // A class this version lacks leaves that one call shape untraced, the others patched.
      if (proto === undefined) diag.warn(`nats: ${p.className}#${p.method} not found in ${target.module}/${String(target.file)}; not traced`);
      else kit.wrap(proto, p.method, p.make(kit));
    }
  },
  unpatch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    for (const p of patchesOf(target)) {
      const proto = owner(moduleExports, p);
      if (proto !== undefined) kit.unwrap(proto, p.method);
    }
  },
};
