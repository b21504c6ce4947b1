import type { Context, HttpConfig, InstrumentationKit, ServerSpanHolder, Span } from '../../src/instrument';

/** Per-stream state, kept on the Http2Stream under `STATE`; its `ctx` is the context the stream's events run in. */
export const STATE = Symbol('waymark.http2.state');

/** A traced incoming stream (frameworks on the compat API see it through the request). */
export class ServerState implements ServerSpanHolder {
  route: string | undefined = undefined;
  errorRecorded = false;
  ended = false;
  constructor(
    readonly kit: InstrumentationKit,
    readonly config: HttpConfig,
    readonly span: Span,
    /** The context with the server span: the handler's and the stream's events'. */
    readonly ctx: Context,
    readonly nameMethod: string,
  ) {}
}

/** A traced outgoing stream. */
export class ClientState {
  ended = false;
  statusCode = 0;
  errorRecorded = false;
  constructor(
    readonly kit: InstrumentationKit,
    readonly config: HttpConfig,
    readonly span: Span,
    /** The caller's context: the stream's events run in it. */
    readonly ctx: Context,
  ) {}
}

/** An emitter (an Http2Stream) carrying stream state. */
export type WithState = { [STATE]?: ServerState | ClientState };
