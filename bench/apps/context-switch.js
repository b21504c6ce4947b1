'use strict';
// `node bench/apps/context-switch.js <way> <n>`: n synchronous calls, each run in another
// AsyncLocalStorage store and back, done one way, after a warm-up. Counted by
// bench/context-instructions.mjs. The ways:
//   plain          the call alone
//   enter-restore  getStore + enterWith(store) + call + enterWith(previous): what
//                  src/sdk/context-manager.ts's enter/restore do
//   run            als.run(store, fn, a, b)
//   resource       AsyncResource#runInAsyncScope of a resource made once inside the store
//                  (on AsyncContextFrame lines it swaps a captured frame in and out)
const { AsyncLocalStorage, AsyncResource } = require('node:async_hooks');

const als = new AsyncLocalStorage();
const outer = { outer: true };
const inner = { inner: true };
let sink = 0;
function target(x, y) {
  if (als.getStore() === inner) sink = (sink + x + y) | 0;
  return sink;
}
let resource;
als.run(inner, () => (resource = new AsyncResource('context-switch')));
const WAYS = {
  plain: () => target(1, 2),
  'enter-restore': () => {
    const prev = als.getStore();
    als.enterWith(inner);
    try {
      return target(1, 2);
    } finally {
      als.enterWith(prev);
    }
  },
  run: () => als.run(inner, target, 1, 2),
  resource: () => resource.runInAsyncScope(target, null, 1, 2),
};
als.enterWith(outer);
const way = WAYS[process.argv[2]];
if (way === undefined) throw new Error(`way: one of ${Object.keys(WAYS).join(', ')}`);
for (let i = 0; i < 20000; i++) way();
const n = Number(process.argv[3]);
for (let i = 0; i < n; i++) way();
if (sink === 0.5) process.stdout.write('never\n');
