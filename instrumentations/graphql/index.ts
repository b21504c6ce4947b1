import { majorOf, type AnyFunction, type Instrumentation, type InstrumentationKit, type MakeWrapper, type ModuleTarget } from '../../src/instrument';
import { subscribeChannels, unsubscribeChannels } from './channels';
import { wrapExecute } from './wrap-execute';
import { wrapParse, wrapValidate } from './wrap-parse';

/**
 * graphql-js, which Apollo Server and Mercurius execute through (graphql-yoga parses and
 * validates with it but executes with @graphql-tools/executor, whose execution is not
 * traced here). Spans:
 * - one per operation, `query GetUser` (`<type>` when anonymous), INTERNAL, current while it
 *   executes: resolvers, and the database calls they make, are its children. Attributes
 *   `graphql.operation.type`, `graphql.operation.name` and `graphql.document` with its
 *   literals replaced (document.ts). Errors of the result set ERROR with the first message,
 *   one exception event each (bounded);
 * - `graphql.parse` / `graphql.validate` only when that step fails (failures.ts);
 * - opt-in (WAYMARK_GRAPHQL_RESOLVER_SPANS=true): `graphql.resolve <path>`, one per field
 *   path with list indexes collapsed, for fields with a resolver of their own (field-span.ts).
 * graphql 15/16 are patched (their CommonJS files, which `import` reaches too: the package
 * has no ESM entry for Node); graphql 17 publishes tracing channels, subscribed to when its
 * main module loads, for its CommonJS and ESM builds alike (channels.ts). Its files are not
 * patched even where its CommonJS build loads (Node without `module-sync`): the channels
 * already say everything.
 */
export const instrumentation: Instrumentation = {
  patch(exports: Record<string, unknown>, target: ModuleTarget, kit: InstrumentationKit, version: string | undefined): void {
    const major = version === undefined ? undefined : majorOf(version);
    if (major === undefined) return;
    if (target.file === undefined) {
      if (major >= 17) subscribeChannels(kit);
      return;
    }
    for (const [name, make] of wrappersFor(target.file, kit, major)) {
      if (typeof exports[name] === 'function') kit.wrap(exports as Record<string, AnyFunction>, name, make);
    }
  },
  unpatch(exports: Record<string, unknown>, target: ModuleTarget, kit: InstrumentationKit): void {
    if (target.file === undefined) {
      unsubscribeChannels();
      return;
    }
    for (const [name] of wrappersFor(target.file, kit, 16)) kit.unwrap(exports, name);
  },
};

/** The functions a graphql 15/16 file exports, and their wrappers (none for 17). */
function wrappersFor(file: string, kit: InstrumentationKit, major: number): Array<[string, MakeWrapper]> {
  if (major >= 17) return [];
  switch (file) {
    case 'execution/execute.js': {
      // graphql 15 also takes positional arguments; 16 only the args object.
      const make = wrapExecute(kit, major === 15);
      return [
        ['execute', make],
        // executeSync calls the module's own execute, not the export: wrapped on its own.
        ['executeSync', make],
      ];
    }
    case 'language/parser.js':
      return [['parse', wrapParse(kit)]];
    case 'validation/validate.js':
      return [['validate', wrapValidate(kit)]];
    default:
      return [];
  }
}
