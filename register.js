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
  const { cachedData, keepFile } = codeCache(fs);
  const { createRequire, wrap } = require('node:module');
  const vm = require('node:vm');
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  if (keepFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) keepCodeCache(fs, script, keepFile);
  return mod.exports;
}

/**
 * The bundle's V8 code cache for this Node: the one built with the package when its V8 is
 * this one, else one this machine made on an earlier start (`keepFile`, in a directory of
 * this user's under the temp dir, as v8-compile-cache and Node's own compile cache keep
 * theirs). A cache of another V8 version is not even tried: V8's check that rejects it
 * costs more than compiling without one.
 */
function codeCache(fs) {
  const build = path.join(__dirname, 'build');
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(build, 'waymark-agent.cache.json'), 'utf8'));
  } catch {
    return {};
  }
  const v8 = process.versions.v8;
  if (meta.v8 === v8) return { cachedData: readOrUndefined(fs, path.join(build, 'waymark-agent.cache')) };
  if (typeof meta.bundle !== 'string' || typeof process.getuid !== 'function') return {};
  const dir = path.join(require('node:os').tmpdir(), `waymark-code-cache-${process.getuid()}`);
  const keepFile = path.join(dir, `${meta.bundle}-${v8.replace(/[^\w.-]/g, '_')}.cache`);
  // Only a directory of this user's, which no one else can write: V8 runs what a cache holds.
  if (!ownPrivateDir(fs, dir)) return { keepFile };
  return { cachedData: readOrUndefined(fs, keepFile), keepFile };
}

function readOrUndefined(fs, file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function ownPrivateDir(fs, dir) {
  try {
    const st = fs.lstatSync(dir);
    return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * Writes this V8's code cache once the app has started (1 s later, on a timer that keeps no
 * process alive): made then, it also holds the functions the agent compiled while starting.
 * Once per bundle and Node version on a machine; every failure is ignored.
 */
function keepCodeCache(fs, script, file) {
  const timer = setTimeout(() => {
    try {
      const dir = path.dirname(file);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!ownPrivateDir(fs, dir)) return;
      const partial = `${file}.${process.pid}.partial`;
      fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(partial, file);
    } catch {
      // A read-only or full temp dir: the next start compiles without a cache, as this one did.
    }
  }, 1000);
  timer.unref();
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
