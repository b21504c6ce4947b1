import { ownerOf, type Instrumentation, type InstrumentationKit, type Methods } from '../../src/instrument';
import { wrapSend } from './wrap-send';

/**
 * AWS SDK for JavaScript v3 (`@aws-sdk/client-*`): every client extends one smithy
 * `Client` class, whose `send` runs each command through the client's middleware stack.
 * `send` is wrapped (a span per call); SQS and SNS clients also get one middleware in
 * their stack that carries the trace in message attributes (message-context.ts). The class
 * lives in `@smithy/smithy-client` (SDK 3.363 to ~3.1000) and in `@smithy/core`'s `client`
 * submodule (newer SDKs; late `@smithy/smithy-client` 4.x re-exports that same class, whose
 * second wrap is refused).
 */

function clientProto(moduleExports: unknown): Methods | undefined {
  return ownerOf((moduleExports as { Client?: unknown } | null)?.Client, 'send');
}

/** Patches of the AWS SDK: `Client.prototype.send`. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = clientProto(moduleExports);
    if (proto === undefined) throw new Error('smithy Client class not found');
    kit.wrap(proto, 'send', wrapSend(kit));
  },
  unpatch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    const proto = clientProto(moduleExports);
    if (proto !== undefined) kit.unwrap(proto, 'send');
  },
};
