#!/usr/bin/env node
'use strict';
// `waymark view` / `waymark query`: the development trace viewer (src/view, compiled to build/).
let cli;
try {
  cli = require('../build/src/view/cli');
} catch (err) {
  process.stderr.write(`waymark: cannot load the compiled viewer (run \`npm run build\` first): ${err && err.message}\n`);
  process.exit(1);
}
// `waymark query ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  throw err;
});
cli.runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`waymark: ${(err && err.stack) || err}\n`);
    process.exitCode = 1;
  },
);
