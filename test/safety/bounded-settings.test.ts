import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node';

// Every numeric setting is bounded to what its consumer accepts: a timer above 2^31-1 ms
// would fire after 1 ms in Node (export storms, a TimeoutOverflowWarning the app's own
// 'warning' listener receives). Out of bounds: one line, and the default.

const APP = [
  '--require',
  './register.js',
  '-e',
  `process.on('warning', (w) => console.log('app saw warning: ' + w.name));
   const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => {
     require('node:http').get('http://127.0.0.1:' + s.address().port + '/', (r) => { r.resume(); r.on('end', () => setTimeout(() => s.close(), 50)); });
   });`,
];

describe('numeric settings out of bounds, in a spawned app', () => {
  it('timers above 2^31-1 ms and absurd counts: one line each, defaults used, no timer overflow', async () => {
    const run = await runNode(APP, { env: {
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_BSP_SCHEDULE_DELAY: '2147483648',
      OTEL_BSP_EXPORT_TIMEOUT: '99999999999',
      OTEL_EXPORTER_OTLP_TIMEOUT: '4294967296',
      WAYMARK_SHUTDOWN_TIMEOUT: '1e9',
      OTEL_BSP_MAX_QUEUE_SIZE: '99999999999999',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1',
    } });
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.length > 0)).toEqual([
      '[waymark] warn: invalid OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT="-1"; using the default (128)',
      '[waymark] warn: invalid OTEL_BSP_SCHEDULE_DELAY="2147483648"; using the default (5000)',
      '[waymark] warn: invalid OTEL_BSP_EXPORT_TIMEOUT="99999999999"; using the default (30000)',
      '[waymark] warn: invalid OTEL_BSP_MAX_QUEUE_SIZE="99999999999999"; using the default (2048)',
      '[waymark] warn: invalid OTEL_EXPORTER_OTLP_TIMEOUT="4294967296"; using the default (10000)',
      '[waymark] warn: invalid WAYMARK_SHUTDOWN_TIMEOUT="1e9"; using the default (2000)',
    ]);
    expect(run.stdout).not.toContain('app saw warning');
    // The spans still leave, once (no 1 ms export timer firing again and again).
    expect(run.stdout.split('\n').filter((l) => l.startsWith('{'))).toHaveLength(2);
  });

  it('the largest timer value Node accepts is taken as is, silently', async () => {
    const run = await runNode(APP, { env: { OTEL_TRACES_EXPORTER: 'console', OTEL_BSP_SCHEDULE_DELAY: '2147483647', OTEL_EXPORTER_OTLP_TIMEOUT: '2147483647' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('app saw warning');
  });
});
