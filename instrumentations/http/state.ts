import type { Context, HttpConfig, InstrumentationKit, ServerSpanHolder, Span } from '../../src/instrument';

/**
 * Per-request state kept on the request/response objects under `STATE`. Its `ctx` is the
 * context the objects' events run in (see emitters.ts).
 */
export const STATE = Symbol('waymark.http.state');

export const SIDE_SERVER = 0;
export const SIDE_CLIENT = 1;

/** State of a traced incoming request (also what frameworks see through server-span.ts). */
export class ServerState implements ServerSpanHolder {
  readonly side = SIDE_SERVER;
  route: string | undefined = undefined;
  errorRecorded = false;
  ended = false;
  constructor(
    readonly kit: InstrumentationKit,
    readonly config: HttpConfig,
    readonly span: Span,
    /** The context with the server span: the handler's and the req/res events'. */
    readonly ctx: Context,
    readonly nameMethod: string,
  ) {}
}

/** State of a traced outgoing request. */
export class ClientState {
  readonly side = SIDE_CLIENT;
  ended = false;
  statusCode = 0;
  constructor(
    readonly kit: InstrumentationKit,
    readonly config: HttpConfig,
    readonly span: Span,
    /** The caller's context: callbacks and events of the request run in it. */
    readonly ctx: Context,
  ) {}
}

export type RequestState = ServerState | ClientState;

/** An emitter (req, res) carrying request state. */
export type WithState = { [STATE]?: RequestState };
