import type { EventEmitter } from 'node:events';
import {
  callInSpan,
  context,
  isTracingSuppressed,
  propagation,
  setSpan,
  startCall,
  type AnyFunction,
  type CallOutcome,
  type Callback,
  type Context,
  type InstrumentationKit,
  type SpanCall,
} from '../../src/instrument';
import { isMetadata, metadataSetter, type MetadataLike } from './metadata';
import { clientSpanSpec, failureAttributes, serverOfTarget, statusName, statusOfError, STATUS_OK, type GrpcServer } from './recipe';

/** The call shapes of grpc-js's Client: whether a request message and a callback come with it. */
export interface ClientShape {
  readonly hasArgument: boolean;
  readonly hasCallback: boolean;
}

/** What the wrappers use of a grpc-js Client. */
interface GrpcClient {
  checkOptionalUnaryResponseArguments?(a: unknown, b: unknown, c: unknown): { metadata: MetadataLike; options: unknown; callback: Callback };
  checkMetadataAndOptions?(a: unknown, b: unknown): { metadata: MetadataLike; options: unknown };
  getChannel?(): { getTarget?(): string };
  [SERVER]?: GrpcServer | null;
}

const SERVER = Symbol('waymark.grpc.server');
const CALL = Symbol('waymark.grpc.call');
type WithCall = EventEmitter & { [CALL]?: SpanCall };

/** A failed unary or client-streaming call: its error's status code, as both the attribute and error.type. */
const CLIENT_OUTCOME: CallOutcome = { errorAttributes: (err) => failureAttributes(statusOfError(err)) };

/** Builds the wrapper of one of Client's `make*Request` methods. */
export function makeClientRequest(kit: InstrumentationKit, shape: ClientShape) {
  return (original: AnyFunction): AnyFunction =>
    function makeRequest(this: GrpcClient, method: unknown) {
      if (!kit.active || typeof method !== 'string') return original.apply(this, arguments as unknown as unknown[]);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as unknown as unknown[]);
      return traceClientCall(kit, shape, original, this, arguments, parent);
    };
}

function traceClientCall(kit: InstrumentationKit, shape: ClientShape, original: AnyFunction, self: GrpcClient, args: IArguments, parent: Context): unknown {
  // grpc-js's own reading of the optional arguments: the metadata (made when the app gave
  // none, from the library's own class), options and callback. Arguments it rejects go to
  // the original as they came, which throws its own error.
  const at = shape.hasArgument ? 4 : 3;
  let checked: { metadata: MetadataLike; options: unknown; callback?: Callback } | undefined;
  try {
    checked = shape.hasCallback
      ? self.checkOptionalUnaryResponseArguments?.(args[at], args[at + 1], args[at + 2])
      : self.checkMetadataAndOptions?.(args[at], args[at + 1]);
  } catch {
    checked = undefined;
  }
  if (checked === undefined || !isMetadata(checked.metadata)) return original.apply(self, args as unknown as unknown[]);
  const spec = kit.safe2(clientSpec, self, args[0] as string);
  if (spec === undefined) return original.apply(self, args as unknown as unknown[]);
  const call = startCall(kit, spec, parent, CLIENT_OUTCOME);
  let metadata: MetadataLike;
  try {
    // The app's own metadata object stays as it was: it may be reused for other calls.
    metadata = checked.metadata === args[at] ? checked.metadata.clone() : checked.metadata;
    propagation.inject(setSpan(parent, call.span), metadata, metadataSetter);
  } catch (err) {
    kit.fail(err, 'client metadata');
    call.end();
    return original.apply(self, args as unknown as unknown[]);
  }
  const callArgs: unknown[] = shape.hasArgument ? [args[0], args[1], args[2], args[3], metadata, checked.options] : [args[0], args[1], args[2], metadata, checked.options];
  // The callback ends the span and runs in the caller's context.
  if (shape.hasCallback) callArgs.push(call.wrapCallback(checked.callback!));
  const stream = callInSpan(call, original, self, callArgs) as WithCall;
  // A stream that cannot be observed ends its span now rather than never.
  if (!shape.hasCallback && kit.safe2(observeStream, stream, call) !== true) call.end();
  return stream;
}

function clientSpec(self: GrpcClient, path: string) {
  return clientSpanSpec(path, serverOf(self));
}

/** The server a client's channel calls, read once per client. */
function serverOf(self: GrpcClient): GrpcServer | undefined {
  let server = self[SERVER];
  if (server === undefined) {
    const target = self.getChannel?.().getTarget?.();
    server = (typeof target === 'string' ? serverOfTarget(target) : undefined) ?? null;
    self[SERVER] = server;
  }
  return server ?? undefined;
}

/**
 * A streaming response ends its span on 'status' (emitted for every outcome; an 'error'
 * listener would change what an unhandled stream error does), and its listeners run in the
 * caller's context rather than the connection's.
 */
function observeStream(stream: WithCall, call: SpanCall): boolean {
  stream[CALL] = call;
  stream.on('status', onStreamStatus);
  context.bind(call.parent, stream);
  return true;
}

function onStreamStatus(this: WithCall, status: { code?: unknown; details?: unknown }): void {
  const call = this[CALL];
  if (call === undefined) return;
  this[CALL] = undefined;
  const code = typeof status?.code === 'number' ? status.code : STATUS_OK;
  if (code === STATUS_OK) {
    call.end();
    return;
  }
  // Only a failed call pays for an Error: the recorded exception's type and message.
  const err = new Error(`${code} ${statusName(code)}: ${typeof status.details === 'string' ? status.details : ''}`);
  (err as Error & { code: number }).code = code;
  call.fail(err);
}
