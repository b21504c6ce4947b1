import { now, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { recordParseFailure, recordValidateFailure } from './failures';

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

/** graphql 15/16 `validate(schema, document, rules, ...)`: a span only when it finds errors or throws. */
export function wrapValidate(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function validate(this: unknown, _schema?: unknown, document?: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
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
