import { isBuiltin } from 'node:module';
import { diag, describeError } from '../diag';
import { InstrumentationKit } from '../instrument/kit';
import type { Instrumentation, InstrumentationEntry, ModuleTarget } from '../instrument/types';
import { satisfiesRange } from '../instrument/version';
import { isWrapped } from '../instrument/wrap';
import { readPackageVersion } from './package-version';
import { warnPreloaded } from './preloaded';
import { recordInstrumented, recordPreloaded, recordSubscriber, recordUnsupported } from './load-record';
import { selectEntries, type HookConfig } from './select';

export type { HookConfig } from './select';

/** Marks the process as hooked, across copies of the agent (several installs, bundled copies). */
const INSTALLED = Symbol.for('waymark.hooks.installed');
/**
 * Set by register.mjs once import-in-the-middle's hook is registered: `true` for the loader
 * thread (module.register, which learns the hooked names from Hook() over its channel), or a
 * function taking the hooked module names for the in-thread hooks (module.registerHooks).
 */
export const ESM_LOADER_FLAG = Symbol.for('waymark.esm.loader');
type EsmLoader = true | ((moduleNames: readonly string[]) => void);
/**
 * Called by register.mjs after it registered the import hook: the agent may already run
 * without it, started by `--require register.js` (Node runs every --require before any
 * --import), and then hooks ESM imports too.
 */
const ESM_HOOK_LATE = Symbol.for('waymark.esm.hook');

type Global = typeof globalThis & { [INSTALLED]?: true; [ESM_LOADER_FLAG]?: EsmLoader; [ESM_HOOK_LATE]?: () => void };

/** What `installHooks` returns; `uninstall` exists for tests and shutdown. */
export interface HooksHandle {
  /** False when another copy of the agent already owns the hooks. */
  readonly installed: boolean;
  /** Names of the selected instrumentations. */
  readonly instrumentations: readonly string[];
  /** The kit of an instrumentation, by name (tests). */
  kit(name: string): InstrumentationKit | undefined;
  /** Removes the hooks, stops started instrumentations and unpatches what was patched. */
  uninstall(): void;
}

interface EntryState {
  readonly entry: InstrumentationEntry;
  readonly kit: InstrumentationKit;
  /** undefined: not loaded yet; null: loading failed. */
  impl: Instrumentation | null | undefined;
  readonly patched: Array<{ exports: unknown; target: ModuleTarget }>;
  /** Exports objects already patched (per target), so CJS and ESM hooks never patch twice. */
  readonly seen: WeakMap<ModuleTarget, WeakSet<object>>;
  /** `module@version` of libraries already reported as outside the supported versions. */
  readonly reported: Set<string>;
}

interface Unhookable {
  unhook(): void;
}

/**
 * Installs the require (and, under register.mjs, import) hooks for the selected
 * instrumentations. Loads nothing of an instrumentation until its module is loaded.
 */
export function installHooks(config: HookConfig = {}, entries?: readonly InstrumentationEntry[]): HooksHandle {
  const g = globalThis as Global;
  if (g[INSTALLED]) {
    diag.warn('another copy of the agent already hooked module loading; this copy patches nothing');
    return { installed: false, instrumentations: [], kit: () => undefined, uninstall: () => {} };
  }
  g[INSTALLED] = true;

  const all = entries ?? loadRegistry();
  const selected = selectEntries(all, config);
  const states = selected.map<EntryState>((entry) => ({
    entry,
    kit: new InstrumentationKit(entry.name, entry.version, config.settings, entry.channelTargets),
    impl: undefined,
    reported: new Set(),
    patched: [],
    seen: new WeakMap(),
  }));

  // module key ('express', 'http', 'express/lib/router/layer.js') -> who wants it.
  const byKey = new Map<string, Array<{ state: EntryState; target: ModuleTarget }>>();
  const packages = new Set<string>();
  for (const state of states) {
    for (const target of state.entry.targets) {
      const key = moduleKey(target);
      let list = byKey.get(key);
      if (list === undefined) byKey.set(key, (list = []));
      list.push({ state, target });
      if (!isBuiltin(target.module)) packages.add(target.module);
    }
  }

  for (const name of warnPreloaded(packages)) recordPreloaded(name);

  const onLoad = (exports: unknown, name: string, basedir: string | undefined, esm: boolean): unknown => {
    const key = name.startsWith('node:') ? name.slice(5) : name;
    const wanted = byKey.get(key);
    if (wanted === undefined) return exports;
    let result = exports;
    for (const { state, target } of wanted) result = patchOne(state, target, result, basedir, esm);
    return result;
  };

  const hooks: Unhookable[] = [];
  const keys = [...byKey.keys()];
  if (keys.length > 0) {
    try {
      const { Hook } = require('require-in-the-middle') as typeof import('require-in-the-middle');
      hooks.push(new Hook(keys, { internals: false }, (exp, name, basedir) => onLoad(exp, name, basedir, false) as typeof exp));
    } catch (err) {
      diag.error(`require hook not installed: ${describeError(err)}`);
    }
  }
  let esmHooked = false;
  const hookEsm = (): void => {
    const esmLoader = g[ESM_LOADER_FLAG];
    if (esmHooked || !esmLoader || keys.length === 0) return;
    esmHooked = true;
    hooks.push(...installEsmHook(esmLoader, keys, onLoad));
  };
  hookEsm();
  g[ESM_HOOK_LATE] = hookEsm;

  // Instrumentations with no module to hook (diagnostics-channel subscribers) start now.
  for (const state of states) {
    if (state.entry.targets.length > 0) continue;
    const impl = load(state);
    if (impl?.start === undefined) continue;
    try {
      impl.start(state.kit);
      recordSubscriber(state.entry.name, (state.entry.channelTargets ?? []).map((t) => t.module));
    } catch (err) {
      state.kit.fail(err, 'start');
    }
  }

  let uninstalled = false;
  return {
    installed: true,
    instrumentations: selected.map((e) => e.name),
    kit: (name) => states.find((s) => s.entry.name === name)?.kit,
    uninstall() {
      if (uninstalled) return;
      uninstalled = true;
      for (const h of hooks) safely(() => h.unhook(), 'unhook');
      for (const state of states) {
        const impl = state.impl;
        if (!impl) continue;
        if (impl.stop !== undefined) safely(() => impl.stop!(state.kit), `${state.entry.name} stop`);
        if (impl.unpatch !== undefined) {
          for (const p of state.patched) safely(() => impl.unpatch!(p.exports, p.target, state.kit), `${state.entry.name} unpatch`);
        }
        state.patched.length = 0;
        state.kit.active = false;
      }
      delete g[INSTALLED];
      delete g[ESM_HOOK_LATE];
    },
  };
}

function patchOne(state: EntryState, target: ModuleTarget, exports: unknown, basedir: string | undefined, esm: boolean): unknown {
  const { entry, kit } = state;
  if (!kit.active) return exports;
  // ESM: the hook sees the module namespace; CommonJS modules and builtins have their
  // module.exports as `default`, which is the object to patch (shared with require()).
  const namespace = esm ? (exports as Record<string, unknown>) : undefined;
  const subject = namespace !== undefined && 'default' in namespace && isObjectLike(namespace.default) ? namespace.default : exports;
  if (!isObjectLike(subject)) return exports;

  let seen = state.seen.get(target);
  if (seen === undefined) state.seen.set(target, (seen = new WeakSet()));
  if (seen.has(subject)) {
    if (namespace !== undefined) syncNamedExports(namespace, subject);
    return exports;
  }

  const builtin = basedir === undefined && isBuiltin(target.module);
  const version = builtin ? process.versions.node : basedir !== undefined ? readPackageVersion(basedir) : undefined;
  if (!builtin && (version === undefined || !satisfiesRange(version, target.versions))) {
    reportUnsupported(state, target, version);
    seen.add(subject);
    return exports;
  }

  const impl = load(state);
  if (impl?.patch === undefined) return exports;
  let replaced: unknown;
  try {
    replaced = impl.patch(subject, target, kit, version);
  } catch (err) {
    kit.fail(err, `patching ${target.module}`);
    return exports;
  }
  seen.add(subject);
  const result = isObjectLike(replaced) ? replaced : subject;
  seen.add(result);
  state.patched.push({ exports: result, target });
  // Internal files are part of their package: the report names the package once.
  recordInstrumented(target.module, builtin ? undefined : version);
  diag.debug(`${entry.name}: patched ${target.module}${target.file ? '/' + target.file : ''}@${version ?? ''}${esm ? ' (esm)' : ''}`);

  if (namespace !== undefined) {
    if (result !== subject && 'default' in namespace) namespace.default = result;
    syncNamedExports(namespace, result);
    return exports;
  }
  return result;
}

/**
 * One line at the default level per library version the entry does not cover (the same
 * version is often loaded through several targets or copies); none when another target of
 * the entry covers it (a library may need one of its files patched only in some majors).
 */
function reportUnsupported(state: EntryState, target: ModuleTarget, version: string | undefined): void {
  const key = `${target.module}@${version ?? ''}`;
  if (state.reported.has(key)) return;
  state.reported.add(key);
  const ranges = state.entry.targets.filter((t) => t.module === target.module).map((t) => t.versions);
  if (version !== undefined && ranges.some((r) => satisfiesRange(version, r))) {
    diag.debug(`${state.entry.name}: ${target.module}/${target.file ?? ''} not patched in ${version} (${target.versions})`);
    return;
  }
  const described = `${target.module} ${version ?? '(version unknown)'}`;
  recordUnsupported(`${described} (supported: ${describeRanges(ranges)})`);
  diag.warn(`${described} is not instrumented (supported: ${describeRanges(ranges)})`);
}

/** The ranges as one, short: `>=5.0.0 <7` reads `>=5 <7`; alternatives deduplicated. */
export function describeRanges(ranges: readonly string[]): string {
  const parts: string[] = [];
  for (const range of ranges) {
    for (const alternative of range.split('||')) {
      const short = alternative.trim().replace(/(\d+)\.0\.0\b(?!-)/g, '$1').replace(/(\d+\.\d+)\.0\b(?!-)/g, '$1');
      if (short !== '' && !parts.includes(short)) parts.push(short);
    }
  }
  return parts.join(' || ');
}

/** After patching `default` of an ESM namespace, rebinds named exports we wrapped. */
function syncNamedExports(namespace: Record<string, unknown>, patched: object): void {
  for (const key of Object.keys(namespace)) {
    if (key === 'default') continue;
    try {
      const value = (patched as Record<string, unknown>)[key];
      if (namespace[key] !== value && isWrapped(value)) namespace[key] = value;
    } catch {
      // A getter or a frozen binding: leave that name alone.
    }
  }
}

function load(state: EntryState): Instrumentation | null {
  if (state.impl !== undefined) return state.impl;
  try {
    state.impl = state.entry.load();
  } catch (err) {
    state.impl = null;
    state.kit.fail(err, 'loading');
  }
  return state.impl;
}

function installEsmHook(
  loader: EsmLoader,
  keys: string[],
  onLoad: (exports: unknown, name: string, basedir: string | undefined, esm: boolean) => unknown,
): Unhookable[] {
  try {
    const { Hook } = require('import-in-the-middle') as typeof import('import-in-the-middle');
    // Internal files of packages are loaded by require() even in ESM apps: the require hook has them.
    const roots = keys.filter((k) => !k.includes('/') || (k.startsWith('@') && k.split('/').length === 2));
    if (typeof loader === 'function') loader(roots);
    const hook = new Hook(roots, (exported, name, basedir) => {
      onLoad(exported, name, basedir || undefined, true);
    });
    return [hook];
  } catch (err) {
    diag.error(`import hook not installed: ${describeError(err)}`);
    return [];
  }
}

function loadRegistry(): readonly InstrumentationEntry[] {
  return (require('../../instrumentations') as typeof import('../../instrumentations')).INSTRUMENTATIONS;
}

// require-in-the-middle names internal files without `.js` and `/index` (express/lib/router/layer).
const FILE_SUFFIX = /(\/index)?(\.js)?$/;

/** The name the require hook reports for `target`. */
function moduleKey(target: ModuleTarget): string {
  if (target.file === undefined) return target.module;
  return `${target.module}/${target.file.replace(/^\.?\//, '').replace(FILE_SUFFIX, '')}`;
}

function isObjectLike(v: unknown): v is object {
  return v !== null && (typeof v === 'object' || typeof v === 'function');
}

function safely(fn: () => void, what: string): void {
  try {
    fn();
  } catch (err) {
    diag.debug(`${what} failed: ${describeError(err)}`);
  }
}
