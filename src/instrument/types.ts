import type { InstrumentationKit } from './kit';

/** A module (or a file inside a package) an instrumentation patches, and which versions. */
export interface ModuleTarget {
  /** Package name as required (`express`), or a Node builtin without `node:` (`http`). */
  readonly module: string;
  /** semver range the package.json version must satisfy; ignored for builtins. */
  readonly versions: string;
  /** A file inside the package, relative to its root (`lib/router/layer.js`). */
  readonly file?: string;
}

/** What `load()` of a registry entry returns: the patch code of one instrumentation. */
export interface Instrumentation {
  /** Patches one loaded copy of `target`; returns replacement exports or nothing. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  patch?(exports: any, target: ModuleTarget, kit: InstrumentationKit, version: string | undefined): unknown;
  /** Undoes `patch` on the same exports. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  unpatch?(exports: any, target: ModuleTarget, kit: InstrumentationKit): void;
  /** Called at agent start for entries without targets (diagnostics-channel subscribers). */
  start?(kit: InstrumentationKit): void;
  /** Undoes `start`. */
  stop?(kit: InstrumentationKit): void;
}

/** One lazy entry of `instrumentations/index.ts`: data only until `load()` is called. */
export interface InstrumentationEntry {
  /** Name used by OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
  readonly name: string;
  /** OpenTelemetry's names for the same instrumentation, accepted in those variables too (lower case). */
  readonly aliases?: readonly string[];
  /** Modules to hook; empty for instrumentations started at agent start. */
  readonly targets: readonly ModuleTarget[];
  /**
   * Libraries an entry without targets reaches through a diagnostics channel, with the
   * versions it supports: nothing hooks them; `start` finds the range on its kit
   * (`kit.channelRange(module)`) and checks each instance it is handed (`file` is unused).
   */
  readonly channelTargets?: readonly ModuleTarget[];
  /** Loads the instrumentation code (a `require` of its module). */
  readonly load: () => Instrumentation;
  /** Instrumentation scope version (defaults to the agent's). */
  readonly version?: string;
  /**
   * The packages its tests run against, by the name each is installed under (an npm alias
   * such as `express4` for an older major): the oldest and the newest supported major.
   */
  readonly testedWith?: readonly string[];
}
