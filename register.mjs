// ESM entry: `node --import waymark/register.mjs app.mjs` (one flag) traces ESM apps and their
// CommonJS dependencies alike. Configured by OTEL_* environment variables, like register.js.
import { createRequire, register } from 'node:module';
import { supportsSyncHooks } from 'import-in-the-middle/supports-sync-hooks.mjs';

const require = createRequire(import.meta.url);
const LOADER = Symbol.for('waymark.esm.loader');
// An agent started earlier by `--require register.js` hooks imports too, once the hook is there.
const hookImportsToo = () => globalThis[Symbol.for('waymark.esm.hook')]?.();

try {
  if (globalThis[LOADER] !== undefined) {
    // Another copy of register.mjs already registered the import hook: one is enough.
  } else if (supportsSyncHooks()) {
    // Node 22.22.3+, 24.11.1+, 26: import-in-the-middle's hooks run in this thread
    // (module.registerHooks). No loader thread to start (Node 20's module.register blocks
    // 34-43 ms for it) and no message channel: the hook asks a set we fill directly.
    const { register: registerHooks } = await import('import-in-the-middle/register-hooks.mjs');
    const wanted = new Set();
    registerHooks({ shouldInclude: (url, specifier) => wanted.has(specifier.startsWith('node:') ? specifier.slice(5) : specifier) });
    // Read by src/hooks (ESM_LOADER_FLAG): the import hook is worth installing, and these
    // are the module names it hooks.
    globalThis[LOADER] = (names) => {
      for (const name of names) wanted.add(name);
    };
    require('./register.js');
    hookImportsToo();
  } else {
    // The loader hook wraps only the modules the agent hooks: each Hook() the agent creates
    // sends its module names over this channel, and we wait for the loader to take them
    // before the app's first import is resolved.
    const { createAddHookMessageChannel } = require('import-in-the-middle');
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
    globalThis[LOADER] = true;
    require('./register.js');
    hookImportsToo();
    await waitForAllMessagesAcknowledged();
  }
} catch (err) {
  try {
    process.stderr.write(`[waymark] error: ESM loader hook not registered: ${err && err.message}\n`);
  } catch {}
}
