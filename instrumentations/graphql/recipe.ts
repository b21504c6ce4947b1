import { SpanKind, type Attributes, type SpanSpec } from '../../src/instrument';
import { redactDocument } from './document';
import {
  ATTR_GRAPHQL_DOCUMENT,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
  SPAN_OPERATION_UNKNOWN,
  SPAN_PARSE,
  SPAN_VALIDATE,
} from './semconv';

/** The parts of a graphql-js DocumentNode read here (15, 16 and 17 alike). */
export interface DocumentLike {
  readonly definitions?: unknown;
  /** Absent when parsed with `noLocation`, or built by hand. */
  readonly loc?: { readonly source?: { readonly body?: unknown } | null } | null;
}

interface DefinitionLike {
  readonly kind?: unknown;
  readonly operation?: unknown;
  readonly name?: { readonly value?: unknown } | null;
}

/** An operation's type (`query`, `mutation`, `subscription`) and name, when the document has it. */
export interface OperationParts {
  readonly type: string;
  readonly name: string | undefined;
}

/** Longest operation name kept: a client writes it, and it is part of the span name. */
const MAX_NAME_LENGTH = 256;

/**
 * The operation `execute` runs, as graphql-js picks it: the one named `operationName`, or
 * the document's only operation (the first, when the client sent several and no name,
 * which graphql-js then refuses). Undefined when there is none to run.
 */
export function operationOf(document: DocumentLike | null | undefined, operationName: unknown): OperationParts | undefined {
  const definitions = document == null ? undefined : document.definitions;
  if (!Array.isArray(definitions)) return undefined;
  const wanted = typeof operationName === 'string' ? operationName : undefined;
  for (const def of definitions as Array<DefinitionLike | null | undefined>) {
    if (def == null || def.kind !== 'OperationDefinition' || typeof def.operation !== 'string') continue;
    const value = def.name == null ? undefined : def.name.value;
    const name = typeof value === 'string' && value.length > 0 ? value : undefined;
    if (wanted !== undefined && name !== wanted) continue;
    return { type: def.operation, name: name !== undefined && name.length > MAX_NAME_LENGTH ? name.slice(0, MAX_NAME_LENGTH) : name };
  }
  return undefined;
}

/**
 * Recipe: the span of one operation, `<type> <name>` (`query GetUser`), `<type>` for an
 * anonymous one, else the convention's `GraphQL Operation`; the document with its literals
 * replaced. Variables' values are never read.
 */
export function operationSpanSpec(document: DocumentLike | null | undefined, operationName: unknown): SpanSpec {
  const attributes: Attributes = {};
  const op = operationOf(document, operationName);
  let name = SPAN_OPERATION_UNKNOWN;
  if (op !== undefined) {
    attributes[ATTR_GRAPHQL_OPERATION_TYPE] = op.type;
    name = op.type;
    if (op.name !== undefined) {
      attributes[ATTR_GRAPHQL_OPERATION_NAME] = op.name;
      name = op.type + ' ' + op.name;
    }
  }
  const text = documentText(document);
  if (text !== undefined) attributes[ATTR_GRAPHQL_DOCUMENT] = text;
  return { name, kind: SpanKind.INTERNAL, attributes };
}

/** Recipe: the span of a validation that found errors, with what the document tells. */
export function validateFailureSpec(document: DocumentLike | null | undefined): SpanSpec {
  const { attributes } = operationSpanSpec(document, undefined);
  return { name: SPAN_VALIDATE, kind: SpanKind.INTERNAL, attributes };
}

/** Recipe: the span of a parse that threw; `source` is a string or a graphql-js Source (`{ body }`). */
export function parseFailureSpec(source: unknown): SpanSpec {
  const body = typeof source === 'string' ? source : source != null && typeof source === 'object' ? (source as { body?: unknown }).body : undefined;
  const attributes: Attributes = {};
  if (typeof body === 'string') attributes[ATTR_GRAPHQL_DOCUMENT] = redacted(body);
  return { name: SPAN_PARSE, kind: SpanKind.INTERNAL, attributes };
}

/** The document's source text, redacted; undefined when the document carries no source. */
export function documentText(document: DocumentLike | null | undefined): string | undefined {
  const loc = document == null ? undefined : document.loc;
  const body = loc == null || loc.source == null ? undefined : loc.source.body;
  return typeof body === 'string' ? redacted(body) : undefined;
}

// Clients send the same documents again and again (and a server parses each request's text
// anew): remember the redacted text of recent ones. Bounded in entries and key length;
// emptied when full (no LRU bookkeeping).
const CACHE_MAX_ENTRIES = 256;
const CACHE_MAX_KEY_LENGTH = 8192;
const cache = new Map<string, string>();

function redacted(body: string): string {
  const hit = cache.get(body);
  if (hit !== undefined) return hit;
  const text = redactDocument(body);
  if (body.length <= CACHE_MAX_KEY_LENGTH) {
    if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
    cache.set(body, text);
  }
  return text;
}

/** The errors an execution result carries (`{ errors }`, or 17's incremental `{ initialResult: { errors } }`). */
export function resultErrors(result: unknown): readonly unknown[] | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  let errors = (result as { errors?: unknown }).errors;
  if (errors === undefined) {
    const initial = (result as { initialResult?: unknown }).initialResult;
    if (initial !== null && typeof initial === 'object') errors = (initial as { errors?: unknown }).errors;
  }
  return Array.isArray(errors) && errors.length > 0 ? errors : undefined;
}
