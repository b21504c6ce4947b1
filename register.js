'use strict';
// Preload entry: `node --require waymark/register.js app.js`.
// Everything the agent does is configured by OTEL_* environment variables.
try {
  require('./build/src/sdk/agent').startAgent();
} catch (err) {
  // The build is missing or broken: say so once, never take the app down.
  try {
    process.stderr.write(`[waymark] error: agent not started: ${err && err.message}\n`);
  } catch {}
}
