import { diag, isWrapped, ownerOf, type AnyFunction, type InstrumentationKit, type MakeWrapper, type Methods } from '../../src/instrument';
import { wrapExecutionContextCreate } from './wrap-execution-context';

/** One loaded copy of @nestjs/core: its kit, version, and the RouterExecutionContext prototypes wrapped. */
export interface NestCore {
  readonly kit: InstrumentationKit;
  readonly version: string | undefined;
  readonly wrapped: Set<Methods>;
  reported: boolean;
}

/** The parts of a NestApplication read to reach its RouterExecutionContext (stable from Nest 10 to 12). */
interface NestApplicationLike {
  routesResolver?: { routerExplorer?: { executionContextCreator?: object | null } | null } | null;
}

/**
 * `NestApplication#init()` registers the app's routes; just before, the app's
 * RouterExecutionContext (which builds each route's handler) gets its `create` wrapped,
 * once per class. Reached through the app because the class is not exported, and an
 * ES-module Nest (12) loads its files where no require hook sees them.
 */
export function wrapInit(core: NestCore): MakeWrapper {
  return (original: AnyFunction) =>
    function init(this: unknown): unknown {
      if (core.kit.active && this != null) core.kit.safe2(wrapRouterOf, core, this as NestApplicationLike);
      return original.apply(this, arguments as never);
    };
}

function wrapRouterOf(core: NestCore, app: NestApplicationLike): void {
  const creator = app.routesResolver?.routerExplorer?.executionContextCreator;
  const owner = creator == null ? undefined : ownerOf(creator.constructor, 'create');
  if (owner === undefined) {
    if (!core.reported) diag.warn(`nestjs: ${core.version ?? ''} has no RouterExecutionContext where expected; its routes get no spans`);
    core.reported = true;
    return;
  }
  if (isWrapped(owner.create)) return;
  if (core.kit.wrap(owner, 'create', wrapExecutionContextCreate(core.kit, core.version))) core.wrapped.add(owner);
}
