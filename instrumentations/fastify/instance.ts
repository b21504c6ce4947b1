import { diag, majorOf, satisfiesRange, type InstrumentationKit } from '../../src/instrument';
import { makeOnError, makeOnRequest, makeOnRoute } from './hooks';

/** The parts of a Fastify instance we use. */
export interface FastifyLike {
  readonly version?: unknown;
  addHook(name: string, fn: (...args: never[]) => void): unknown;
}

/** Marks instances already given our hooks (one publish per instance, but be sure). */
const INSTRUMENTED = Symbol('waymark.fastify.instrumented');

/**
 * Adds our hooks (the route: `onRequest` or `onRoute`; errors: `onError`) to a new root
 * instance. Called from the `fastify.initialization` channel, i.e. before the app adds
 * its own hooks, plugins and routes, so ours come first and every encapsulated context
 * inherits them.
 */
export function instrumentInstance(kit: InstrumentationKit, app: FastifyLike): void {
  const version = app.version;
  // The supported majors are the registry entry's (channelTargets), handed over on the kit.
  const range = kit.channelRange('fastify');
  if (typeof version !== 'string' || range === undefined || !satisfiesRange(version, range)) {
    diag.debug(`fastify: ${String(version)} is outside ${String(range)}; left alone`);
    return;
  }
  const marked = app as FastifyLike & { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return;
  marked[INSTRUMENTED] = true;
  // Where the route comes from differs by major: see makeOnRoute.
  if (majorOf(version) === 4) app.addHook('onRoute', makeOnRoute(kit));
  else app.addHook('onRequest', makeOnRequest(kit));
  app.addHook('onError', makeOnError(kit));
}
