import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Context,
  type ContextManager,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';

/*
 * The @opentelemetry/api globals, read and written here without loading the app's copy of
 * the API (its ~50 files were about half of the agent's startup). The agent bundles its own
 * copy of the API for the pure helpers (trace.setSpan, baggage, enums); that copy's
 * `context`, `trace` and `propagation` singletons must not be used, because they check the
 * registered version against the bundled one and an app on an older 1.x API would make
 * them fall back to no-ops. Everything that reads a registered global goes through here
 * (the context manager through sdk/context-manager.ts's functions, which use ours directly).
 */

/** Where @opentelemetry/api v1 keeps its registered globals (its global-utils). */
export const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

interface ApiGlobals {
  version: string;
  context?: ContextManager;
  trace?: TracerProvider;
  propagation?: TextMapPropagator;
  [type: string]: unknown;
}
type GlobalHolder = { [API_GLOBALS]?: ApiGlobals };

/** Claimed when no installed API can be found: the oldest our dependency range allows. */
const FALLBACK_API_VERSION = '1.9.0';

function apiGlobals(): ApiGlobals | undefined {
  return (globalThis as GlobalHolder)[API_GLOBALS];
}

/** The registered context manager (ours, or whoever registered first), if any. */
export function registeredContextManager(): ContextManager | undefined {
  return apiGlobals()?.context;
}

/** The registered propagator's inject/extract (a no-op when none is registered). */
export const propagation = {
  inject<Carrier>(ctx: Context, carrier: Carrier, setter: TextMapSetter<Carrier> = defaultTextMapSetter): void {
    apiGlobals()?.propagation?.inject(ctx, carrier, setter);
  },
  extract<Carrier>(ctx: Context, carrier: Carrier, getter: TextMapGetter<Carrier> = defaultTextMapGetter): Context {
    const p = apiGlobals()?.propagation;
    return p !== undefined ? p.extract(ctx, carrier, getter) : ctx;
  },
  /** The keys the registered propagator writes (a carrier that must ask for them by name: SQS). */
  fields(): string[] {
    const fields = apiGlobals()?.propagation?.fields();
    return Array.isArray(fields) ? fields : [];
  },
};

/**
 * A tracer from the registered provider, or undefined before one is registered (callers
 * fall back to a no-op tracer and ask again later).
 */
export function registeredTracer(name: string, version?: string): Tracer | undefined {
  return apiGlobals()?.trace?.getTracer(name, version);
}

/** A tracer that records nothing (the bundled API's no-op, before anything is registered). */
export function noopTracer(name: string, version?: string): Tracer {
  return trace.getTracer(name, version);
}

export interface GlobalEntries {
  context: ContextManager;
  trace: TracerProvider;
  propagation: TextMapPropagator;
}

/**
 * Registers the three globals the way the API's `setGlobal*` would, and with the version
 * of the app's API copy (see `sharedApiVersion`), so that copy accepts them and can still
 * register its own globals (metrics, diag) next to ours: the API registers a global only
 * when the globals' version equals its own exactly. A second copy of another version in the
 * same app is refused there, as it would be without the agent once the first had registered.
 * Returns why it refused, or undefined on success. A propagator registered before us is
 * kept (as the API would), with our context and tracer provider registered.
 */
export function registerGlobals(entries: GlobalEntries): string | undefined {
  const holder = globalThis as GlobalHolder;
  const existing = holder[API_GLOBALS];
  if (existing?.context !== undefined) return 'another context manager is already registered with @opentelemetry/api';
  if (existing?.trace !== undefined) return 'another tracer provider is already registered with @opentelemetry/api';
  const api = existing ?? (holder[API_GLOBALS] = globalsWithLazyVersion());
  api.context = entries.context;
  api.trace = entries.trace;
  if (api.propagation === undefined) api.propagation = entries.propagation;
  return undefined;
}

/**
 * The globals object, its `version` found on first read: finding the installed API costs
 * a module resolution and a file read (~1-2 ms at startup), wasted on an app that never
 * loads the API. The first read replaces the getter with a plain property.
 */
function globalsWithLazyVersion(): ApiGlobals {
  const api = {} as ApiGlobals;
  Object.defineProperty(api, 'version', {
    configurable: true,
    enumerable: true,
    get(): string {
      const version = sharedApiVersion();
      Object.defineProperty(api, 'version', { value: version, writable: true, enumerable: true, configurable: true });
      return version;
    },
  });
  return api;
}

/**
 * The version of the @opentelemetry/api copy the app uses: the one that resolves from the
 * app's main script, else from the working directory, else from this package (the copy npm
 * deduplicates with the app's). An app whose own copy is older than ours (1.4 next to our
 * nested ^1.9) gets its own version, so its `setGlobalMeterProvider` and `diag.setLogger`
 * still register. Read from package.json (the API's `exports` do not list it).
 */
export function sharedApiVersion(): string {
  const main = process.argv[1];
  const from = [typeof main === 'string' && main.length > 0 ? path.dirname(path.resolve(main)) : undefined, process.cwd(), __dirname];
  for (const dir of from) {
    const version = dir === undefined ? undefined : apiVersionFrom(dir);
    if (version !== undefined) return version;
  }
  return FALLBACK_API_VERSION;
}

/** The version of the v1 API that resolves from `dir`, if any. */
function apiVersionFrom(dir: string): string | undefined {
  try {
    let at = path.dirname(require.resolve('@opentelemetry/api', { paths: [dir] }));
    for (let up = 0; up < 4; up++) {
      const pkg = readPackage(path.join(at, 'package.json'));
      if (pkg?.name === '@opentelemetry/api' && typeof pkg.version === 'string') {
        return pkg.version.startsWith('1.') ? pkg.version : undefined;
      }
      at = path.dirname(at);
    }
  } catch {
    // not installed there
  }
  return undefined;
}

function readPackage(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined;
  }
}
