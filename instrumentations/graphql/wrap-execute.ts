import { context, isTracingSuppressed, type AnyFunction, type Context, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { startOperation, type Operation } from './operation';
import type { DocumentLike } from './recipe';
import { instrumentSchemaResolvers } from './schema-resolvers';

/** The parts of graphql-js ExecutionArgs read here. */
interface ExecutionArgsLike {
  readonly schema?: unknown;
  readonly document?: DocumentLike | null;
  readonly operationName?: unknown;
}

/**
 * graphql 15/16 `execute` and `executeSync` (execution/execute.js, which `graphql()`,
 * Apollo Server and the package's index all reach through its exports): the operation's
 * span, current while it runs, so resolvers and what they call are its children. Ends when
 * the result is there (a promise's, observed on the side); the result's errors are recorded.
 * `positional`: graphql 15 also takes `execute(schema, document, rootValue, contextValue,
 * variableValues, operationName, ...)`, when called with more than one argument.
 */
export function wrapExecute(kit: InstrumentationKit, positional: boolean): MakeWrapper {
  return (original: AnyFunction) =>
    function execute(this: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as never);
      const op = begin(kit, parent, arguments, positional);
      if (op === undefined) return original.apply(this, arguments as never);
      let result: unknown;
      try {
        result = context.apply(op.ctx, original, this, arguments);
      } catch (err) {
        op.fail(err);
        throw err;
      }
      // Native promises only: calling `then` on another thenable may start its work.
      if (result instanceof Promise) {
        result.then(
          (value: unknown) => op.settle(value),
          (err: unknown) => op.fail(err),
        );
      } else {
        op.settle(result);
      }
      return result;
    };
}

/** Reads the call's document and operation name, and starts its span; undefined if that failed. */
function begin(kit: InstrumentationKit, parent: Context, args: IArguments, positional: boolean): Operation | undefined {
  try {
    let call: ExecutionArgsLike | undefined;
    if (positional && args.length > 1) call = { schema: args[0], document: args[1] as DocumentLike, operationName: args[5] };
    else if (args[0] !== null && typeof args[0] === 'object') call = args[0] as ExecutionArgsLike;
    if (call === undefined) return undefined;
    if (kit.settings.graphql.resolverSpans) instrumentSchemaResolvers(kit, call.schema);
    return startOperation(kit, parent, call.document, call.operationName);
  } catch (err) {
    kit.fail(err, 'graphql execute');
    return undefined;
  }
}
