import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { sqlSpanSpec } from '../../../src/instrument';
import { pgConnectSpec, pgStatusCode, readPgCall } from '../../../instrumentations/pg/recipe';

// The recipes are pure: plain objects in, span specs out.
const client = { database: 'shop', host: 'db.internal', port: 5433 };

describe('pg recipes', () => {
  it('text, config objects and submittables give the statement; names follow the semantic conventions', () => {
    expect(sqlSpanSpec(readPgCall(client, "SELECT * FROM users WHERE email = 'a@b.c'"))).toEqual({
      name: 'SELECT users',
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'postgresql',
        'db.namespace': 'shop',
        'db.operation.name': 'SELECT',
        'db.collection.name': 'users',
        'db.query.text': 'SELECT * FROM users WHERE email = ?',
        'server.address': 'db.internal',
        'server.port': 5433,
      },
    });
    expect(sqlSpanSpec(readPgCall(client, { text: 'BEGIN', values: [] })).name).toBe('BEGIN');
    expect(sqlSpanSpec(readPgCall(client, { submit() {}, text: 'DELETE FROM s.t' })).name).toBe('DELETE s.t');
  });

  it('a prepared statement run by name alone, or unknown text: named after the system', () => {
    const spec = sqlSpanSpec(readPgCall(client, { name: 'stmt1' }));
    expect(spec.name).toBe('postgresql');
    expect(spec.attributes).not.toHaveProperty('db.query.text');
    expect(sqlSpanSpec(readPgCall(client, 'VACUUM_ish nonsense')).name).toBe('postgresql');
  });

  it('odd clients: missing or odd fields are left out, never thrown on', () => {
    expect(sqlSpanSpec(readPgCall({}, 'SELECT 1')).attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT ?',
    });
    expect(sqlSpanSpec(readPgCall({ port: '6432', host: '', database: 7 }, 'SELECT 1')).attributes).toMatchObject({ 'server.port': 6432 });
    expect(sqlSpanSpec(readPgCall({ port: 'abc' }, 'SELECT 1')).attributes).not.toHaveProperty('server.port');
  });

  it('connect spec: server and database, no statement', () => {
    expect(pgConnectSpec(client)).toEqual({
      name: 'pg.connect',
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'shop', 'server.address': 'db.internal', 'server.port': 5433 },
    });
  });

  it('status code: only from errors the server sent', () => {
    expect(pgStatusCode({ code: '23505', severity: 'ERROR' })).toBe('23505');
    expect(pgStatusCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(pgStatusCode(null)).toBeUndefined();
    expect(pgStatusCode('boom')).toBeUndefined();
  });
});
