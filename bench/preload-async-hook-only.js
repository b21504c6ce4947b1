'use strict';
// An async_hooks init hook that does nothing: what enabling async_hooks costs by itself on
// Node 20 (the init calls and promise hooks), without storing anything on each resource.
// Next to bench/preload-als-only.js it splits the AsyncLocalStorage floor in two: the
// hooks running, and ALS writing its store onto every new resource (tick, timer, promise).
// Used by bench/cost-breakdown.mjs as `--require bench/preload-async-hook-only.js`.
require('node:async_hooks').createHook({ init() {} }).enable();
