import { now, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { recordParseFailure, recordValidateFailure } from './failures';
import { instrumentSchemaResolvers } from './schema-resolvers';

/** graphql 15/16 `parse(source, options)`: a span only when it throws (failures.ts). */
export function wrapParse(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function parse(this: unknown, source?: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const start = now();
      try {
        return original.apply(this, arguments as never);
      } catch (err) {
        recordParseFailure(kit, start, source, err);
        throw err;
      }
    };
}

/**
 * graphql 15/16 `validate(schema, document, rules, ...)`: a span only when it finds errors or
 * throws. With resolver spans on, the schema's resolvers are wrapped here already, before
 * the first execution: servers that wrap every field when a request first executes (Apollo
 * Server's plugin layer gives fields without a resolver one of its own) then wrap ours, and
 * fields without a resolver stay trivial.
 */
export function wrapValidate(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function validate(this: unknown, schema?: unknown, document?: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      if (kit.settings.graphql.resolverSpans) kit.safe2(instrumentSchemaResolvers, kit, schema);
      const start = now();
      let errors: unknown;
      try {
        errors = original.apply(this, arguments as never);
      } catch (err) {
        recordValidateFailure(kit, start, document, [err]);
        throw err;
      }
      if (Array.isArray(errors) && errors.length > 0) recordValidateFailure(kit, start, document, errors);
      return errors;
    };
}
