import {
  callInSpan,
  context,
  isTracingSuppressed,
  startCall,
  type AnyFunction,
  type InstrumentationKit,
  type SpanCall,
} from '../../src/instrument';
import { ensureMiddleware, MESSAGE_CALLS, type MiddlewareStack } from './message-context';
import { AWS_OUTCOME, awsCallSpec, messageOperationOf, operationOf, resultAttributes, serviceOf, type AwsCall } from './recipe';
import { ATTR_CLOUD_REGION } from './semconv';

/** A client, as far as the instrumentation reads it. */
interface AwsClient {
  readonly config?: { serviceId?: unknown; region?: unknown };
  readonly middlewareStack?: MiddlewareStack;
}

/** A command: its class names the operation; `input` is the app's request. */
interface AwsCommand {
  readonly input?: Record<string, unknown>;
  readonly constructor?: { name?: unknown };
}

/** Each client config's resolved region (a provider the SDK resolves per call). */
const REGIONS = new WeakMap<object, string>();

/** The call as the client shows it; the region when it is already known. */
function readCall(client: AwsClient, command: AwsCommand): AwsCall {
  const config = client.config;
  const region = config === undefined ? undefined : typeof config.region === 'string' ? config.region : REGIONS.get(config);
  return { service: serviceOf(client), operation: operationOf(command), input: command.input, region };
}

/**
 * The client's region, once: `config.region` is an async provider (the SDK calls it for
 * every request); its first answer is kept per config and set on the span as it comes.
 */
function learnRegion(client: AwsClient, call: SpanCall): void {
  const config = client.config;
  const provider = config?.region;
  if (config === undefined || typeof provider !== 'function') return;
  Promise.resolve((provider as () => unknown).call(config)).then(
    (region) => {
      if (typeof region !== 'string') return;
      REGIONS.set(config, region);
      call.span.setAttribute(ATTR_CLOUD_REGION, region);
    },
    () => undefined,
  );
}

/** Ends the span of a call the SDK answered: its result attributes, then the end. */
function finish(call: SpanCall, operation: string, err: unknown, output: unknown): void {
  if (err != null) {
    call.fail(err);
    return;
  }
  const attributes = call.kit.safe(resultAttributes, { operation, output });
  if (attributes !== undefined) call.span.setAttributes(attributes);
  call.end();
}

/**
 * `Client.prototype.send(command, options?, callback?)` of every AWS SDK v3 client: one
 * span per call, active while the SDK's middleware stack runs (so the SDK's own HTTP
 * request is its child). Keeps the promise or the callback form as the app used it.
 */
export function wrapSend(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function send(this: AwsClient, command: AwsCommand, optionsOrCb?: unknown, cb?: unknown): unknown {
      if (!kit.active || command === null || typeof command !== 'object') return original.apply(this, arguments as never);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as never);
      const read = kit.safe2(readCall, this, command);
      const spec = read === undefined ? undefined : kit.safe(awsCallSpec, read);
      if (read === undefined || spec === undefined) return original.apply(this, arguments as never);
      const call = startCall(kit, spec, parent, AWS_OUTCOME);
      if (read.region === undefined) kit.safe2(learnRegion, this, call);
      const op = messageOperationOf(read.service, read.operation);
      if (op !== undefined && this.middlewareStack !== undefined) {
        kit.safe2(ensureMiddleware, kit, this.middlewareStack);
        MESSAGE_CALLS.set(command, { call, op, name: spec.name });
      }
      const args: unknown[] = Array.prototype.slice.call(arguments);
      const at = typeof optionsOrCb === 'function' ? 1 : typeof cb === 'function' ? 2 : -1;
      if (at >= 0) {
        const callback = args[at] as AnyFunction;
        args[at] = function (this: unknown, err?: unknown, output?: unknown): unknown {
          finish(call, read.operation, err, output);
          return context.apply(call.parent, callback, this, arguments as never);
        };
      }
      const result = callInSpan(call, original, this, args);
      if (at < 0 && result !== null && typeof (result as PromiseLike<unknown>)?.then === 'function') {
        (result as PromiseLike<unknown>).then(
          (output) => finish(call, read.operation, null, output),
          (err: unknown) => call.fail(err),
        );
      } else if (at < 0) call.end();
      return result;
    };
}
