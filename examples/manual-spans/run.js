'use strict';
// `npm run demo` (for now): runs the example app under the agent with the console exporter.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const res = spawnSync(process.execPath, ['--require', path.join(root, 'register.js'), path.join(__dirname, 'app.js')], {
  stdio: 'inherit',
  env: { ...process.env, OTEL_SERVICE_NAME: 'checkout', OTEL_TRACES_EXPORTER: process.env.OTEL_TRACES_EXPORTER || 'console' },
});
process.exit(res.status ?? 1);
