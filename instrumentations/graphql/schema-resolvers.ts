import { context, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { fieldSpanFor, segmentsOfPath, settleField } from './field-span';
import { operationIn, type FieldSpan, type Operation } from './operation';

/**
 * Resolver spans for graphql 15/16 (opt-in): graphql-js calls a field's own `resolve`
 * directly, so with the setting on, the first traced execution of a schema wraps the
 * `resolve` of each of its object and interface fields that has one (graphql's
 * defaultFieldResolver, a property read, is never wrapped: trivial fields make no span).
 * A wrapped resolver makes spans only inside a traced operation, and runs as is otherwise
 * (or once the instrumentation is off). With the setting off nothing of the schema changes.
 */

interface SchemaLike {
  getTypeMap?(): Record<string, unknown>;
}

interface NamedTypeLike {
  getFields?(): Record<string, { resolve?: unknown } | null | undefined>;
  getInterfaces?: unknown;
}

/** The parts of a graphql-js GraphQLResolveInfo read here. */
interface ResolveInfoLike {
  readonly fieldName?: unknown;
  readonly returnType?: unknown;
  readonly path?: { readonly key?: unknown; readonly prev?: unknown } | null;
}

const INSTRUMENTED = new WeakSet<object>();

/** Wraps the resolvers of `schema`, once per schema. */
export function instrumentSchemaResolvers(kit: InstrumentationKit, schema: unknown): void {
  if (schema === null || typeof schema !== 'object' || INSTRUMENTED.has(schema)) return;
  INSTRUMENTED.add(schema);
  const getTypeMap = (schema as SchemaLike).getTypeMap;
  if (typeof getTypeMap !== 'function') return;
  const types = getTypeMap.call(schema);
  const make = wrapResolver(kit);
  for (const name of Object.keys(types)) {
    const type = types[name] as NamedTypeLike | null | undefined;
    // Object and interface types have interfaces; input types have fields but no resolvers.
    if (name.startsWith('__') || type == null || typeof type.getFields !== 'function' || typeof type.getInterfaces !== 'function') continue;
    const fields = type.getFields();
    for (const key of Object.keys(fields)) {
      const field = fields[key];
      if (field != null && typeof field.resolve === 'function') kit.wrap(field as { resolve: AnyFunction }, 'resolve', make);
    }
  }
}

function wrapResolver(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function resolve(this: unknown, _source?: unknown, _args?: unknown, _contextValue?: unknown, info?: ResolveInfoLike): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const op = operationIn(context.active());
      const field = op === undefined ? undefined : kit.safe2(fieldOfInfo, op, info);
      if (field === undefined) return original.apply(this, arguments as never);
      let result: unknown;
      try {
        result = context.apply(field.ctx, original, this, arguments);
      } catch (err) {
        settleField(field, err, true);
        throw err;
      }
      if (result instanceof Promise) {
        result.then(
          () => settleField(field, undefined, false),
          (err: unknown) => settleField(field, err, true),
        );
      } else {
        // graphql-js treats a returned Error as the field's error.
        settleField(field, result, result instanceof Error);
      }
      return result;
    };
}

function fieldOfInfo(op: Operation, info: ResolveInfoLike | undefined): FieldSpan | undefined {
  if (info == null) return undefined;
  const fieldName = typeof info.fieldName === 'string' ? info.fieldName : '';
  return fieldSpanFor(op.kit, op, { segments: segmentsOfPath(info.path), fieldName, fieldType: String(info.returnType) });
}
