/**
 * The undici diagnostics channels global fetch (Node's own undici) and the undici package
 * (5.x to 8.x) publish on, and the parts of their payloads we read. Contract:
 * https://github.com/nodejs/undici/blob/main/docs/docs/api/DiagnosticsChannel.md
 */
export const CHANNELS = Object.freeze({
  create: 'undici:request:create',
  headers: 'undici:request:headers',
  trailers: 'undici:request:trailers',
  error: 'undici:request:error',
});

/** The request object of every `undici:request:*` message. */
export interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path: string;
  /** undici 6+: flat [name, value, ...] array; undici 5: raw `name: value\r\n` text. */
  headers: string[] | string | undefined;
  completed?: boolean;
  addHeader(name: string, value: string): unknown;
}

export interface RequestCreateMessage {
  request: UndiciRequest;
}

export interface RequestHeadersMessage {
  request: UndiciRequest;
  response: { statusCode: number; statusText?: string; headers: Array<Buffer | string> };
}

export interface RequestTrailersMessage {
  request: UndiciRequest;
}

export interface RequestErrorMessage {
  request: UndiciRequest;
  error: unknown;
}
