'use strict';
// Preload entry: `node --require waymark/register.js app.js`.
// Everything the agent does is configured by OTEL_* environment variables.
// The bundle (build/waymark-agent.js, with its V8 code cache) is the fast path; the plain
// tsc output is the fallback.
const path = require('node:path');

function loadBundle() {
  const fs = require('node:fs');
  const file = path.join(__dirname, 'build', 'waymark-agent.js');
  // Under --enable-source-maps, the plain loader reads the bundle's source map, so the
  // agent's frames in stack traces name the files it was built from.
  if (process.sourceMapsEnabled === true) return fs.existsSync(file) ? require(file) : undefined;
  let source;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(path.join(__dirname, 'build', 'waymark-agent.cache'));
  } catch {
    // no cache: a plain compile
  }
  const { createRequire, wrap } = require('node:module');
  const vm = require('node:vm');
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}

try {
  const agent = loadBundle() || require('./build/src/agent');
  agent.startAgent();
} catch (err) {
  // The build is missing or broken: say so once, never take the app down.
  try {
    process.stderr.write(`[waymark] error: agent not started: ${err && err.message}\n`);
  } catch {}
}
