import {
  ATTR_ERROR_TYPE,
  ATTR_RPC_GRPC_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  RPC_SYSTEM_VALUE_GRPC,
  SpanKind,
  splitHostPort,
  type Attributes,
  type SpanSpec,
} from '../../src/instrument';

// Pure functions from what a gRPC call shows (its method path, its channel's target, its
// status) to span names, attributes and outcomes. No I/O, no context.

/** gRPC status codes (https://grpc.io/docs/guides/status-codes/), by number. */
export const STATUS_NAMES: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];
export const STATUS_OK = 0;
export const STATUS_CANCELLED = 1;
export const STATUS_UNKNOWN = 2;
export const STATUS_DEADLINE_EXCEEDED = 4;

/**
 * Codes that make a SERVER span an error: the server's own faults. The others (a bad
 * argument, a missing entity, a cancelled call...) are the client's; a CLIENT span is an
 * error for every code but OK. https://opentelemetry.io/docs/specs/semconv/rpc/grpc/#grpc-status
 */
const SERVER_FAULTS = new Set([2, 4, 12, 13, 14, 15]);

/** True when a server ending a call with `code` failed (semconv's gRPC status table). */
export function isServerFault(code: number): boolean {
  return SERVER_FAULTS.has(code);
}

/** `error.type` of a failed call: the status code's name (`DEADLINE_EXCEEDED`). */
export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? String(code);
}

/** The status code grpc-js sends for an error a handler reports: its integer `code`, else UNKNOWN. */
export function statusOfError(err: unknown): number {
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 ? code : STATUS_UNKNOWN;
}

/** The parts of a method path `/package.Service/Method`. */
export interface RpcMethod {
  /** Span name: the path without its leading slash (`package.Service/Method`). */
  readonly name: string;
  readonly service: string;
  readonly method: string;
}

/** Splits a method path; a path of another shape is kept whole as the service. */
export function parseMethodPath(path: string): RpcMethod {
  const start = path.charCodeAt(0) === 47 /* / */ ? 1 : 0;
  const slash = path.indexOf('/', start);
  if (slash < 0) return { name: path.slice(start), service: path.slice(start), method: '' };
  return { name: path.slice(start), service: path.slice(start, slash), method: path.slice(slash + 1) };
}

/** The rpc attributes both sides share (a fresh object: the span keeps it). */
export function rpcAttributes(m: RpcMethod): Attributes {
  return {
    [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_GRPC,
    [ATTR_RPC_SERVICE]: m.service,
    [ATTR_RPC_METHOD]: m.method,
  };
}

/** Where a channel sends its calls, read from its target (`dns:host:port`, `ipv4:1.2.3.4:50051`, `unix:/path`). */
export interface GrpcServer {
  readonly address: string;
  readonly port: number | undefined;
}

// grpc-js's name-resolution schemes; any other prefix is part of a DNS name (`localhost:50051`).
const SCHEMES = ['dns:', 'ipv4:', 'ipv6:', 'unix:', 'unix-abstract:', 'xds:'];

/** The server of a channel target, or undefined for an empty target. */
export function serverOfTarget(target: string): GrpcServer | undefined {
  let rest = target;
  let scheme = '';
  for (const s of SCHEMES) {
    if (rest.startsWith(s)) {
      scheme = s;
      rest = rest.slice(s.length);
      break;
    }
  }
  // `dns://resolver/host:port` and `unix:///path`: the authority names no server.
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash < 0 ? rest.slice(2) : rest.slice(slash + 1);
  }
  if (scheme === 'unix:' || scheme === 'unix-abstract:') return rest.length > 0 ? { address: rest, port: undefined } : undefined;
  // An ipv4:/ipv6: target may list several addresses: the first is named.
  const comma = rest.indexOf(',');
  if (comma >= 0) rest = rest.slice(0, comma);
  if (rest.length === 0) return undefined;
  const { address, port } = splitHostPort(rest);
  // grpc-js's default port when a DNS target names none.
  return { address, port: port ?? 443 };
}

/** The CLIENT span of a call to `path` on a server. */
export function clientSpanSpec(path: string, server: GrpcServer | undefined): SpanSpec {
  const m = parseMethodPath(path);
  const attributes = rpcAttributes(m);
  // Stays 0 unless the call fails (the failure sets its own code).
  attributes[ATTR_RPC_GRPC_STATUS_CODE] = STATUS_OK;
  if (server !== undefined) {
    attributes[ATTR_SERVER_ADDRESS] = server.address;
    if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  }
  return { name: m.name, kind: SpanKind.CLIENT, attributes };
}

/** What a failed call adds to its span once the error is recorded. */
export function failureAttributes(code: number): Attributes {
  return { [ATTR_RPC_GRPC_STATUS_CODE]: code, [ATTR_ERROR_TYPE]: statusName(code) };
}
