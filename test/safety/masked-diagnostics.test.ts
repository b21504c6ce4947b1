import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node';

// A diagnostic line that shows a configured URL or header masks userinfo and header values:
// the "invalid value" lines name the variable and what is wrong, never the secret.

const SECRET = 's3cr3t-in-a-log-line';
const APP = ['--require', './register.js', '-e', ''];

function lines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.length > 0);
}

describe('invalid exporter settings holding secrets, in a spawned app', () => {
  it('an endpoint without a scheme: one line, userinfo masked', async () => {
    const run = await runNode(APP, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: `user:${SECRET}@collector:4318`, OTEL_TRACES_EXPORTER: 'otlp' } });
    expect(run.code).toBe(0);
    expect(lines(run.stderr)).toEqual([
      '[waymark] warn: invalid OTEL_EXPORTER_OTLP_ENDPOINT="***@collector:4318"; using the default ("http://localhost:4318")',
    ]);
  });

  it('a traces endpoint and a Zipkin endpoint that do not parse: masked too', async () => {
    const run = await runNode(APP, { env: {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `ftp://u:${SECRET}@collector/v1/traces?key=${SECRET}`,
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `zipkin:${SECRET}@host:9411`,
      OTEL_TRACES_EXPORTER: 'otlp,zipkin',
    } });
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain(SECRET);
    expect(lines(run.stderr)).toHaveLength(2);
    expect(run.stderr).toContain('invalid OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://***@collector/v1/traces?key=***"');
    expect(run.stderr).toContain('invalid OTEL_EXPORTER_ZIPKIN_ENDPOINT="***@host:9411"');
  });

  it('OTEL_EXPORTER_OTLP_HEADERS with a bad escape or no key: one line each, key only', async () => {
    const run = await runNode(APP, { env: { OTEL_EXPORTER_OTLP_HEADERS: `api-key=${SECRET}%E0%A4%A,Bearer ${SECRET},x-ok=1` } });
    expect(run.code).toBe(0);
    expect(lines(run.stderr)).toEqual([
      '[waymark] warn: invalid OTEL_EXPORTER_OTLP_HEADERS="api-key=***"; using the default ("member skipped")',
      '[waymark] warn: invalid OTEL_EXPORTER_OTLP_HEADERS="***"; using the default ("member skipped")',
    ]);
  });
});
