import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import { DOCUMENT_MAX_LENGTH, DOCUMENT_SCAN_LIMIT, redactDocument } from '../../../instrumentations/graphql/document';
import { operationOf, operationSpanSpec, parseFailureSpec, resultErrors } from '../../../instrumentations/graphql/recipe';

// The redaction of graphql.document and the operation recipe: pure, on plain strings and objects.
describe('redactDocument', () => {
  it.each([
    ['{ user(id: "abc") { name } }', '{ user(id: ?) { name } }'],
    ['{ a(x: 12, y: -3.5e-2, z: 0) }', '{ a(x: ?, y: ?, z: ?) }'],
    ['{ a(s: """block "quoted" \\""" still""") }', '{ a(s: ?) }'],
    ['{ a(s: "esc \\" quote", t: "\\\\") }', '{ a(s: ?, t: ?) }'],
    ['query Q($id: ID = "default", $n: Int = 5) { user(id: $id) { posts(first: $n) { title } } }', 'query Q($id: ID = ?, $n: Int = ?) { user(id: $id) { posts(first: $n) { title } } }'],
    ['{ a(role: ADMIN, on: true, none: null, list: [1, "two", THREE], obj: { k: 1.0 }) }', '{ a(role: ADMIN, on: true, none: null, list: [?, ?, THREE], obj: { k: ? }) }'],
    ['{ user2 { field_3 } }', '{ user2 { field_3 } }'],
    ['query {\n  a # secret 123 "x"\n  b\n}', 'query { a b }'],
    ['{ a(x: 123abc) }', '{ a(x: ?) }'],
    ['fragment F on User @include(if: $x) { ...G }', 'fragment F on User @include(if: $x) { ...G }'],
  ])('%j -> %j', (input, expected) => {
    expect(redactDocument(input)).toBe(expected);
  });

  it('an unterminated string hides the rest of its line, an unterminated block string the rest of the text', () => {
    expect(redactDocument('{ a(s: "secret\n  b }')).toBe('{ a(s: ? b }');
    expect(redactDocument('{ a(s: """secret\n more secret')).toBe('{ a(s: ?');
  });

  it('is bounded: at most DOCUMENT_MAX_LENGTH characters and a marker, and never scans past DOCUMENT_SCAN_LIMIT', () => {
    const long = '{ ' + 'field '.repeat(2000) + '}';
    const out = redactDocument(long);
    expect(out.length).toBe(DOCUMENT_MAX_LENGTH + 3);
    expect(out.endsWith('...')).toBe(true);
    const huge = '{ a(s: "' + 'x'.repeat(DOCUMENT_SCAN_LIMIT * 2) + '") }';
    expect(redactDocument(huge)).toBe('{ a(s: ?...');
    expect(redactDocument('{ a }', 3)).toBe('{ a...');
  });

  it('never cuts a surrogate pair in half, never throws on non-strings', () => {
    const text = '{ ' + 'a'.repeat(8) + '😀😀 }';
    const out = redactDocument(text, 11);
    expect(out).toBe('{ aaaaaaaa...');
    expect(redactDocument(undefined as unknown as string)).toBe('');
  });
});

describe('the operation recipe', () => {
  const doc = (body: string, definitions: unknown[]) => ({ definitions, loc: { source: { body } } });
  const op = (operation: string, name?: string) => ({ kind: 'OperationDefinition', operation, name: name === undefined ? undefined : { kind: 'Name', value: name } });

  it('picks the named operation, or the first one; skips fragments', () => {
    const d = doc('', [{ kind: 'FragmentDefinition' }, op('query', 'A'), op('mutation', 'B')]);
    expect(operationOf(d, 'B')).toEqual({ type: 'mutation', name: 'B' });
    expect(operationOf(d, undefined)).toEqual({ type: 'query', name: 'A' });
    expect(operationOf(d, 'C')).toBeUndefined();
    expect(operationOf({}, undefined)).toBeUndefined();
    expect(operationOf(null, undefined)).toBeUndefined();
  });

  it('names the span `<type> <name>`, `<type>`, or `GraphQL Operation`; the name is bounded', () => {
    expect(operationSpanSpec(doc('query A { a }', [op('query', 'A')]), undefined)).toMatchObject({ name: 'query A', attributes: { 'graphql.operation.type': 'query', 'graphql.operation.name': 'A', 'graphql.document': 'query A { a }' } });
    expect(operationSpanSpec(doc('subscription { a }', [op('subscription')]), undefined).name).toBe('subscription');
    expect(operationSpanSpec({ definitions: [] }, 'X')).toEqual({ name: 'GraphQL Operation', kind: SpanKind.INTERNAL, attributes: {} });
    const long = 'N'.repeat(1000);
    expect(operationSpanSpec(doc('', [op('query', long)]), undefined).name).toBe('query ' + 'N'.repeat(256));
  });

  it('a parse failure keeps the redacted text of a string or a Source', () => {
    expect(parseFailureSpec('{ a(x: 1 }').attributes).toEqual({ 'graphql.document': '{ a(x: ? }' });
    expect(parseFailureSpec({ body: '{ "s' }).attributes).toEqual({ 'graphql.document': '{ ?' });
    expect(parseFailureSpec(42).attributes).toEqual({});
  });

  it('reads errors from a result, or from 17\'s incremental initialResult', () => {
    expect(resultErrors({ data: {} })).toBeUndefined();
    expect(resultErrors({ errors: [] })).toBeUndefined();
    expect(resultErrors({ errors: ['e'] })).toEqual(['e']);
    expect(resultErrors({ initialResult: { errors: ['i'] } })).toEqual(['i']);
    expect(resultErrors(null)).toBeUndefined();
  });
});
