import { diag, ownerOf, type Instrumentation, type InstrumentationKit, type ModuleTarget } from '../../src/instrument';
import { EXPRESS4_LAYER, patchLayer, ROUTER2_LAYER, unpatchLayer } from './layer-patch';
import { patchRouter, unpatchRouter } from './router-patch';

/**
 * Express 4 keeps its router in `express/lib/router/`; Express 5 uses the `router`
 * package (2.x). Same shapes, different files and Layer method names. The registry entry
 * in instrumentations/index.ts declares these targets; the keys here must match them.
 */
interface Patcher {
  patch(exports: object, kit: InstrumentationKit, middlewareSpans: boolean): void;
  unpatch(exports: object, kit: InstrumentationKit): void;
}

// Keyed by file inside the package (the package main for router@2), so a copy installed
// under another directory name (an npm alias) dispatches the same way.
const PATCHERS: Readonly<Record<string, Patcher>> = {
  // Express 4: the Router "proto" is the module export itself (routers get it as prototype).
  'lib/router/index.js': { patch: (e, kit) => patchRouter(e, kit), unpatch: (e, kit) => unpatchRouter(e, kit) },
  'lib/router/layer.js': {
    patch: (e, kit, spans) => patchLayer(owner(e, EXPRESS4_LAYER.request), EXPRESS4_LAYER, kit, spans),
    unpatch: (e, kit) => unpatchLayer(owner(e, EXPRESS4_LAYER.request), EXPRESS4_LAYER, kit),
  },
  // Express 5: router@2 exports the Router constructor.
  '': { patch: (e, kit) => patchRouter(owner(e, 'handle'), kit), unpatch: (e, kit) => unpatchRouter(owner(e, 'handle'), kit) },
  'lib/layer.js': {
    patch: (e, kit, spans) => patchLayer(owner(e, ROUTER2_LAYER.request), ROUTER2_LAYER, kit, spans),
    unpatch: (e, kit) => unpatchLayer(owner(e, ROUTER2_LAYER.request), ROUTER2_LAYER, kit),
  },
};

/** The key of `target` in the patcher table: its file, '' for a package main. */
export function targetKey(target: ModuleTarget): string {
  return target.file ?? '';
}

/** Whether a target of the registry entry has a patcher here (registry/code agreement). */
export function hasPatcher(target: ModuleTarget): boolean {
  return Object.prototype.hasOwnProperty.call(PATCHERS, targetKey(target));
}

export const instrumentation: Instrumentation = {
  patch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): unknown {
    const patcher = PATCHERS[targetKey(target)];
    if (patcher === undefined) {
      diag.debug(`express: no patcher for ${target.module}/${targetKey(target)}`);
      return undefined;
    }
    patcher.patch(exports as object, kit, kit.settings.express.middlewareSpans);
    return undefined;
  },
  unpatch(exports: unknown, target: ModuleTarget, kit: InstrumentationKit): void {
    PATCHERS[targetKey(target)]?.unpatch(exports as object, kit);
  },
};

/** Where the exported class defines `method` (router@2's prototype is a function: routers are callable). */
function owner(ctor: object, method: string): object {
  const proto = ownerOf(ctor, method);
  if (proto === undefined) throw new TypeError(`expected a class defining ${method}`);
  return proto;
}
