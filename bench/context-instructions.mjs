// Instructions per context switch around a synchronous call, by way and Node line, under
// valgrind (load-independent): (I(N2) - I(N1)) / (N2 - N1) of bench/apps/context-switch.js,
// minus the plain call. On Node 20 AsyncLocalStorage keeps its store on the current async
// resource; on AsyncContextFrame lines (24+, or 22 with --experimental-async-context-frame)
// every enterWith makes a new frame, a copy of the current one.
//   node bench/context-instructions.mjs [node binary ...]    (default: this node)
//   NODE_FLAGS=--experimental-async-context-frame for Node 22's frames
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N1 = 10000;
const N2 = 60000;
const WAYS = ['plain', 'enter-restore', 'run', 'resource'];
const flags = process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : [];

async function count(node, way, n) {
  const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', node, '--single-threaded', ...flags, path.join(ROOT, 'bench/apps/context-switch.js'), way, String(n)];
  const { stderr } = await promisify(execFile)('valgrind', args, { maxBuffer: 1 << 24 });
  return Number(/Collected : (\d+)/.exec(stderr)[1]);
}

for (const node of process.argv.length > 2 ? process.argv.slice(2) : [process.execPath]) {
  const { stdout: version } = await promisify(execFile)(node, ['--version']);
  const per = {};
  for (const way of WAYS) {
    const [a, b] = await Promise.all([count(node, way, N1), count(node, way, N2)]);
    per[way] = (b - a) / (N2 - N1);
  }
  const row = Object.fromEntries(WAYS.slice(1).map((w) => [w, Math.round(per[w] - per.plain)]));
  console.log(`${version.trim()} ${flags.join(' ')}: instructions per switch over the plain call (${Math.round(per.plain)}):`, JSON.stringify(row));
}
