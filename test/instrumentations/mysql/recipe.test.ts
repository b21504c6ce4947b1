import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { sqlSpanSpec } from '../../../src/instrument';
import { mysqlStatusCode, readMysqlCall } from '../../../src/instrument';

// The recipes are pure: plain objects in, span specs out.
const conn = { config: { host: 'mysql.internal', port: 3307, database: 'shop' } };

describe('mysql recipes', () => {
  it('text, options objects and a pool-built Query give the statement (MySQL quoting rules)', () => {
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
    const query = { sql: 'DELETE FROM t WHERE id = 5', values: undefined, _callback: undefined, emit: () => true };
    expect(sqlSpanSpec(readMysqlCall(conn, query)).name).toBe('DELETE t');
  });

  it('no statement (query(cb)): the span is named after the system', () => {
    const spec = sqlSpanSpec(readMysqlCall(conn, () => {}));
    expect(spec.name).toBe('mysql');
    expect(spec.attributes!['db.query.text']).toBeUndefined();
  });

  it('a unix socket is the server address, without a port', () => {
    const spec = sqlSpanSpec(readMysqlCall({ config: { socketPath: '/run/mysqld.sock', port: 3306, host: 'localhost' } }, 'SELECT 1'));
    expect(spec.attributes!['server.address']).toBe('/run/mysqld.sock');
    expect(spec.attributes!['server.port']).toBeUndefined();
  });

  it("the status code is the server's error number, only for server errors", () => {
    expect(mysqlStatusCode({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' })).toBe('1064');
    expect(mysqlStatusCode({ code: 'ECONNREFUSED', errno: -111 })).toBeUndefined();
    expect(mysqlStatusCode(null)).toBeUndefined();
  });
});
