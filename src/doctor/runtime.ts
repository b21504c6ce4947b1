/** The Node line and the ESM hook mechanism register.mjs picks on it. */
export interface RuntimeFinding {
  readonly node: string;
  readonly hook: 'module.registerHooks' | 'module.register';
  /** Below the agent's engines field (>=20.6.0): the ESM hook cannot be registered. */
  readonly tooOld: boolean;
}

// `import()` kept as is by the CommonJS build (TypeScript would turn it into require(),
// which cannot load an .mjs file on Node 20).
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Asks import-in-the-middle's version rule, the one register.mjs follows, which hook this Node gets. */
export async function inspectRuntime(version: string = process.versions.node): Promise<RuntimeFinding> {
  const mod = (await importEsm('import-in-the-middle/supports-sync-hooks.mjs')) as { supportsSyncHooks(): boolean };
  const [major = 0, minor = 0] = version.split('.').map((n) => parseInt(n, 10));
  return {
    node: `v${version}`,
    hook: mod.supportsSyncHooks() ? 'module.registerHooks' : 'module.register',
    tooOld: major < 20 || (major === 20 && minor < 6),
  };
}
