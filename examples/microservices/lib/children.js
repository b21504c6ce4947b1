'use strict';
// Starts the demo's processes and stops them again.
const { fork } = require('node:child_process');
const path = require('node:path');

const REGISTER = path.resolve(__dirname, '..', '..', '..', 'register.js');

/**
 * Forks `file` and resolves with its ready message ({ ready: true, ... } over IPC).
 * `traced` preloads the agent, exactly as a user would: node --require waymark/register.js.
 * The child's output goes to `log`, each line prefixed with its name.
 */
function startChild({ name, file, env, traced, log, timeoutMs = 60_000 }) {
  const child = fork(path.join(__dirname, '..', file), [], {
    execArgv: traced ? ['--require', REGISTER] : [],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output = [];
  const relay = (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      log(`  [${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.on('message', (msg) => {
      if (msg && msg.ready) {
        clearTimeout(timer);
        resolve(msg);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (${signal ?? `code ${code}`}): ${output.slice(-5).join(' | ')}`));
    });
  });
  return { name, child, ready };
}

/** Sends SIGTERM (the agent flushes on it) and waits for the exit; SIGKILL after `graceMs`. */
function stopChild({ child }, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

module.exports = { startChild, stopChild };
