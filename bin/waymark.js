#!/usr/bin/env node
'use strict';
// `waymark view` / `waymark query`: the development trace viewer (src/view, compiled to build/).
// `waymark doctor`: checks the agent's configuration, libraries and endpoint (src/doctor).
const doctor = process.argv[2] === 'doctor';
let cli;
try {
  cli = doctor ? require('../build/src/doctor/cli') : require('../build/src/view/cli');
} catch (err) {
  process.stderr.write(`waymark: cannot load the compiled ${doctor ? 'doctor' : 'viewer'} (run \`npm run build\` first): ${err && err.message}\n`);
  process.exit(1);
}
// `waymark query ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  throw err;
});
const run = doctor
  ? cli.runDoctor(process.argv.slice(3), {
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      env: process.env,
      cwd: process.cwd(),
    })
  : cli.runCli(process.argv.slice(2));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`waymark: ${(err && err.stack) || err}\n`);
    process.exitCode = 1;
  },
);
