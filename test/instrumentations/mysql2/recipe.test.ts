import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { sqlSpanSpec } from '../../../src/instrument';
import { mysqlStatusCode, readMysqlCall } from '../../../src/instrument';

// The recipes are pure: plain objects in, span specs out.
const conn = { config: { host: 'mysql.internal', port: 3307, database: 'shop' } };

describe('mysql2 recipes', () => {
  it('text and options objects give the statement (MySQL quoting rules)', () => {
    expect(sqlSpanSpec(readMysqlCall(conn, 'SELECT * FROM `order items` WHERE note = "secret" AND id = ?'))).toEqual({
      name: 'SELECT order items',
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'mysql',
        'db.namespace': 'shop',
        'db.operation.name': 'SELECT',
        'db.collection.name': 'order items',
        'db.query.text': 'SELECT * FROM `order items` WHERE note = ? AND id = ?',
        'server.address': 'mysql.internal',
        'server.port': 3307,
      },
    });
    expect(sqlSpanSpec(readMysqlCall(conn, { sql: "INSERT INTO t (a) VALUES ('it\\'s')", values: [] })).attributes!['db.query.text']).toBe(
      'INSERT INTO t (a) VALUES (?)',
    );
  });

  it('a unix socket is the server address, without a port', () => {
    const spec = sqlSpanSpec(readMysqlCall({ config: { socketPath: '/run/mysqld.sock', port: 3306, host: 'localhost' } }, 'SELECT 1'));
    expect(spec.attributes).toMatchObject({ 'server.address': '/run/mysqld.sock' });
    expect(spec.attributes).not.toHaveProperty('server.port');
  });

  it('no config, no text: named after the system, never thrown on', () => {
    expect(sqlSpanSpec(readMysqlCall({}, undefined))).toEqual({ name: 'mysql', kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'mysql' } });
    expect(sqlSpanSpec(readMysqlCall({}, null)).name).toBe('mysql');
  });

  it('status code: the error number of errors the server sent', () => {
    expect(mysqlStatusCode({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' })).toBe('1064');
    expect(mysqlStatusCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED', errno: -111 }))).toBeUndefined();
    expect(mysqlStatusCode(undefined)).toBeUndefined();
  });
});
