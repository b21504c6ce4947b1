import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { startApp, type RunningApp } from '../helpers/spawn-app';

// Safe by default: credentials, cookies, secret-looking query parameters and SQL literals
// never reach the exported payload, in either protocol, unless a user opts in.
const SECRETS = [
  'SECRET_AUTH_HEADER',
  'SECRET_COOKIE',
  'SECRET_QUERY_TOKEN',
  'SECRET_QUERY_KEY',
  'SECRET_QUERY_PASSWORD',
  'SECRET_URL_PASSWORD',
  'SECRET_PW_PARAM',
  'SECRET_SIG_PARAM',
  'SECRET_FETCH_TOKEN',
  'SECRET_FETCH_KEY',
  'SECRET_OUTBOUND_AUTH',
  'SECRET_SQL_LITERAL',
  '987654321',
];

let app: RunningApp | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.close();
});

async function exercise(protocol: 'http/json' | 'http/protobuf') {
  receiver = await startOtlpReceiver();
  app = await startApp('test/fixtures/secrets-app.js', {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  const res = await fetch(
    `http://127.0.0.1:${app.port}/login?token=SECRET_QUERY_TOKEN&api_key=SECRET_QUERY_KEY&password=SECRET_QUERY_PASSWORD&lang=en`,
    { headers: { authorization: 'Bearer SECRET_AUTH_HEADER', cookie: 'session=SECRET_COOKIE' } },
  );
  expect(res.status).toBe(200);
  // server /login, its http.get client + server /echo, fetch client + server /echo, pg spans
  const spans = await receiver.waitForSpans(6, 5000);
  await new Promise((r) => setTimeout(r, 300));
  return { spans: receiver.spans(), raw: Buffer.concat(receiver.requests.map((r) => r.body)) };
}

describe('data safety by default', () => {
  for (const protocol of ['http/json', 'http/protobuf'] as const) {
    it(`exports no secret over ${protocol}`, async () => {
      const { spans, raw } = await exercise(protocol);
      const text = raw.toString('latin1');
      for (const secret of SECRETS) expect(text, `${secret} leaked`).not.toContain(secret);
      // The spans are there, and say what happened without the values.
      const all = JSON.stringify(spans);
      expect(all).toContain('REDACTED');
      expect(all).toContain('lang=en');
      expect(all).toContain('pg_user');
      expect(spans.some((s) => s.name.startsWith('GET'))).toBe(true);
    });
  }
});
