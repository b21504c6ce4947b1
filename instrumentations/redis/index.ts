import { ownerOf, type Instrumentation, type InstrumentationKit, type Methods, type ModuleTarget } from '../../src/instrument';
import { isV1Client, patchV1Client, patchV1Commander, unpatchV1Client, unpatchV1Commander } from './client-v1';
import { isV6Client, patchV6Client, unpatchV6Client } from './client-v6';

/**
 * node-redis (`redis` 4.x, 5.x and 6.x), hooked in `@redis/client`: a CLIENT span per command, one
 * per pipeline or MULTI/EXEC, only under an active parent span. Targets:
 * `dist/lib/commander.js` (1.x only) and `dist/lib/client/index.js` (1.x, 5.x and 6.x; 5.x and 6.x share one
 * RedisClient shape, so one patch serves both).
 */

/** Target file of the command attacher (1.x). */
export const COMMANDER_FILE = 'dist/lib/commander.js';

/** The RedisClient prototype (the client module's default export is the class). */
function clientProto(moduleExports: unknown): Methods | undefined {
  return ownerOf((moduleExports as { default?: unknown } | null)?.default, 'sendCommand');
}

/** Patches of `@redis/client`: the command attacher (1.x) and the RedisClient prototype (1.x, 5.x, 6.x). */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    if (target.file === COMMANDER_FILE) {
      patchV1Commander(moduleExports as Methods, kit);
      return;
    }
    const proto = clientProto(moduleExports);
    if (proto !== undefined && isV6Client(proto)) patchV6Client(proto, kit);
    else if (proto !== undefined && isV1Client(proto)) patchV1Client(proto, kit);
    else throw new Error('@redis/client: RedisClient of an unknown shape');
  },
  unpatch(moduleExports: unknown, target: ModuleTarget, kit: InstrumentationKit) {
    if (target.file === COMMANDER_FILE) {
      unpatchV1Commander(moduleExports as Methods, kit);
      return;
    }
    const proto = clientProto(moduleExports);
    if (proto === undefined) return;
    if (isV6Client(proto)) unpatchV6Client(proto, kit);
    else unpatchV1Client(proto, kit);
  },
};
