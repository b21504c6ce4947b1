import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node';
import { INSTRUMENTATIONS } from '../../instrumentations';

// Every invalid setting gets one diagnostic line naming the variable and the value, at the
// default log level, and the default is used: never a silent change of behaviour.

const APP = ['--require', './register.js', 'test/fixtures/express-one-request.js'];
const CONSOLE = { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'invalid-settings' };

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.length > 0);
}

function spans(stdout: string): Array<{ name: string; kind: string; scope: string }> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { name: string; kind: string; scope: string });
}

function spanNames(stdout: string): string[] {
  return spans(stdout).map((s) => s.name);
}

// The registry's names, with OpenTelemetry's aliases, as the line lists them.
const VALID = INSTRUMENTATIONS.map((e) => (e.aliases?.length ? `${e.name} (or ${e.aliases.join(', ')})` : e.name)).join(', ');

// An http server and one fetch to it.
const FETCH_APP = [
  '--require',
  './register.js',
  '-e',
  `const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', async () => {
     await (await fetch('http://127.0.0.1:' + s.address().port + '/')).text();
     s.close();
   });`,
];

describe('invalid settings, in a spawned app', () => {
  it('OTEL_NODE_ENABLED_INSTRUMENTATIONS=expres: one line listing the valid names, and every instrumentation stays on', async () => {
    const run = await runNode(APP, { env: { ...CONSOLE, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'expres' } });
    expect(run.code).toBe(0);
    expect(stderrLines(run.stderr)).toEqual([
      `[waymark] warn: invalid OTEL_NODE_ENABLED_INSTRUMENTATIONS="expres": unknown instrumentation name; valid names: ${VALID}; ` +
        'using the default (every instrumentation)',
    ]);
    // http (client and server) and express are all traced.
    expect(spanNames(run.stdout).sort()).toEqual(['GET', 'GET /users/:id']);
  });

  it("OpenTelemetry's names are accepted: OTEL_NODE_ENABLED_INSTRUMENTATIONS=undici traces fetch only, silently", async () => {
    const run = await runNode(FETCH_APP, { env: { ...CONSOLE, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'undici' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    // The fetch client span; no server span (http is not enabled).
    expect(spans(run.stdout).map((s) => [s.kind, s.scope.split('@')[0]])).toEqual([['CLIENT', 'waymark/fetch']]);
  });

  it('WAYMARK_EXPRESS_MIDDLEWARE_SPANS=yes: one line, and the default (no middleware spans)', async () => {
    const run = await runNode(APP, { env: { ...CONSOLE, WAYMARK_EXPRESS_MIDDLEWARE_SPANS: 'yes' } });
    expect(run.code).toBe(0);
    expect(stderrLines(run.stderr)).toEqual(['[waymark] warn: invalid WAYMARK_EXPRESS_MIDDLEWARE_SPANS="yes"; using the default (false)']);
    expect(spanNames(run.stdout).sort()).toEqual(['GET', 'GET /users/:id']);
  });

  it('WAYMARK_EXPRESS_MIDDLEWARE_SPANS=true (the positive control): middleware spans, no line', async () => {
    const run = await runNode(APP, { env: { ...CONSOLE, WAYMARK_EXPRESS_MIDDLEWARE_SPANS: 'true' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(spanNames(run.stdout)).toContain('middleware - stamp');
  });
});
