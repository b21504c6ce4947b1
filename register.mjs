// ESM entry: `node --import waymark/register.mjs app.mjs` (one flag) traces ESM apps and their
// CommonJS dependencies alike. Configured by OTEL_* environment variables, like register.js.
import { createRequire, register } from 'node:module';

const require = createRequire(import.meta.url);

try {
  // The loader hook wraps only the modules the agent hooks: each Hook() the agent creates
  // sends its module names over this channel, and we wait for the loader to take them
  // before the app's first import is resolved.
  const { createAddHookMessageChannel } = require('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  // Read by src/hooks (ESM_LOADER_FLAG): the import hook is worth installing.
  globalThis[Symbol.for('waymark.esm.loader')] = true;
  require('./register.js');
  await waitForAllMessagesAcknowledged();
} catch (err) {
  try {
    process.stderr.write(`[waymark] error: ESM loader hook not registered: ${err && err.message}\n`);
  } catch {}
}
