import { sqlOutcome, sqlSpanSpec, type CallOutcome, type SpanSpec, type SqlCall } from '../../src/instrument';

/** Name of the span of `Client#connect` (no semantic convention names connection spans). */
export const PG_CONNECT_SPAN_NAME = 'pg.connect';

/** What the wrapper reads of a pg `Client` (set by its constructor from the connection parameters). */
export interface PgClientLike {
  readonly database?: unknown;
  readonly host?: unknown;
  readonly port?: unknown;
}

/**
 * Recipe: the SQL call of `client.query(config)`, where `config` is the statement text,
 * a query config `{ text, values, name }` or a submittable (`new Query(...)`).
 * A prepared statement run by `name` alone has no text: the span is named `postgresql`.
 */
export function readPgCall(client: PgClientLike, config: unknown): SqlCall {
  const text = typeof config === 'string' ? config : (config as { text?: unknown }).text;
  return { ...readPgServer(client), text: typeof text === 'string' ? text : undefined };
}

/** Recipe: the span of `client.connect()`: server and database, no statement. */
export function pgConnectSpec(client: PgClientLike): SpanSpec {
  return { ...sqlSpanSpec(readPgServer(client)), name: PG_CONNECT_SPAN_NAME };
}

function readPgServer(client: PgClientLike): SqlCall {
  const port = typeof client.port === 'number' ? client.port : typeof client.port === 'string' ? Number(client.port) : undefined;
  return {
    system: 'postgresql',
    text: undefined,
    namespace: typeof client.database === 'string' ? client.database : undefined,
    serverAddress: typeof client.host === 'string' ? client.host : undefined,
    serverPort: port,
  };
}

/** The SQLSTATE of an error the server sent (pg's DatabaseError has `code` and `severity`). */
export function pgStatusCode(err: unknown): string | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && typeof severity === 'string' ? code : undefined;
}

/** How a pg call's span reads a failure: the SQLSTATE is its status code. */
export const PG_OUTCOME: CallOutcome = sqlOutcome(pgStatusCode);
