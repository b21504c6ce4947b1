'use strict';
// The floor of any AsyncLocalStorage-based agent (Waymark, the OpenTelemetry agent,
// dd-trace): each incoming request runs in an AsyncLocalStorage context and nothing else
// happens. On Node 20, enabling AsyncLocalStorage turns on async_hooks init and promise
// hooks for the whole process, so every tick, timer and promise pays for it.
// Used by bench/cost-breakdown.mjs as `--require bench/preload-als-only.js`.
const { AsyncLocalStorage } = require('node:async_hooks');
const http = require('node:http');

const als = new AsyncLocalStorage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req) {
  if (event !== 'request') return emit.apply(this, arguments);
  const self = this;
  const args = arguments;
  return als.run({ req }, () => emit.apply(self, args));
};
