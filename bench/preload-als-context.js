'use strict';
// An AsyncLocalStorage with a store entered at startup, so the whole process runs with
// async_hooks init and promise hooks on, as under any ALS-based agent. Used by
// bench/call-cost.mjs (bench/preload-als-only.js does the same per incoming request).
const { AsyncLocalStorage } = require('node:async_hooks');

new AsyncLocalStorage().enterWith({ preload: true });
