import { ownerOf, type Instrumentation, type InstrumentationKit, type Methods } from '../../src/instrument';
import { wrapCreateApp } from './wrap-create-app';
import { wrapInit, type NestCore } from './wrap-init';

/** Per patched copy of @nestjs/core (its exports), for unpatch. */
const CORES = new WeakMap<object, NestCore>();

interface NestCoreExports {
  NestFactory?: { constructor?: unknown } | null;
  NestApplication?: unknown;
}

/**
 * NestJS (`@nestjs/core`, CommonJS to 11, ES modules from 12): `NestApplication#init` reaches
 * the app's RouterExecutionContext, whose `create` builds each route's handler (a span per
 * request, `CatsController.findOne`, and one for the method alone); `NestFactory.create`
 * gets the app-creation span. The route's name on the server span comes from the Express
 * or Fastify instrumentation under it; errors Nest's exception filter answers are recorded
 * here.
 */
export const instrumentation: Instrumentation = {
  patch(exports: NestCoreExports, _target: unknown, kit: InstrumentationKit, version: string | undefined): void {
    const init = ownerOf(exports.NestApplication, 'init');
    if (init === undefined) throw new TypeError('nestjs: NestApplication#init not found');
    const core: NestCore = { kit, version, wrapped: new Set(), reported: false };
    CORES.set(exports, core);
    kit.wrap(init, 'init', wrapInit(core));
    const create = factoryOwner(exports);
    if (create !== undefined) kit.wrap(create, 'create', wrapCreateApp(kit, version));
  },
  unpatch(exports: NestCoreExports, _target: unknown, kit: InstrumentationKit): void {
    const init = ownerOf(exports.NestApplication, 'init');
    if (init !== undefined) kit.unwrap(init, 'init');
    const create = factoryOwner(exports);
    if (create !== undefined) kit.unwrap(create, 'create');
    for (const owner of CORES.get(exports)?.wrapped ?? []) kit.unwrap(owner, 'create');
    CORES.delete(exports);
  },
};

/** `NestFactory` is an instance of NestFactoryStatic, whose prototype holds `create`. */
function factoryOwner(exports: NestCoreExports): Methods | undefined {
  const factory = exports.NestFactory;
  return factory == null ? undefined : ownerOf(factory.constructor, 'create');
}
