'use strict';
// Preload entry: `node --require waymark/register.js app.js`.
// Everything the agent does is configured by OTEL_* environment variables.
// The bundle (build/waymark-agent.js) is the fast path; the plain tsc output is the fallback.
try {
  let agent;
  try {
    agent = require('./build/waymark-agent.js');
  } catch (err) {
    if (!err || err.code !== 'MODULE_NOT_FOUND') throw err;
    agent = require('./build/src/sdk/agent');
  }
  agent.startAgent();
} catch (err) {
  // The build is missing or broken: say so once, never take the app down.
  try {
    process.stderr.write(`[waymark] error: agent not started: ${err && err.message}\n`);
  } catch {}
}
