import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config';
import { setLogLevel, setLogSink } from '../../src/diag';
import { DEFAULT_SETTINGS } from '../../src/instrument/settings';

function capture(env: Record<string, string>) {
  const lines: string[] = [];
  setLogSink((l) => lines.push(l));
  const config = readConfig(env);
  return { config, lines };
}

afterEach(() => {
  setLogSink((l) => process.stderr.write(l + '\n'));
  setLogLevel('info');
});

describe('readConfig', () => {
  it('uses the spec defaults with an empty environment', () => {
    const { config, lines } = capture({});
    expect(lines).toEqual([]);
    expect(config.disabled).toBe(false);
    expect(config.exporters).toEqual(['otlp']);
    expect(config.otlp).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      protocol: 'http/protobuf',
      compression: 'none',
      timeoutMs: 10000,
      headers: {},
    });
    expect(config.sampler).toEqual({ name: 'parentbased_always_on', arg: 1, rules: [] });
    expect(config.propagators).toEqual(['tracecontext', 'baggage']);
    expect(config.bsp).toEqual({ scheduleDelayMs: 5000, exportTimeoutMs: 30000, maxQueueSize: 2048, maxExportBatchSize: 512 });
    expect(config.limits.attributeCountLimit).toBe(128);
    expect(config.limits.attributeValueLengthLimit).toBe(Infinity);
    expect(config.limits.eventCountLimit).toBe(128);
    expect(config.limits.linkCountLimit).toBe(128);
    expect(config.resourceAttributes['service.name']).toBe('unknown_service:node');
    expect(config.resourceAttributes['telemetry.sdk.language']).toBe('nodejs');
  });

  it('appends /v1/traces to the generic endpoint and uses the signal endpoint as is', () => {
    expect(capture({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).config.otlp.url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      capture({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:9999/custom',
      }).config.otlp.url,
    ).toBe('http://other:9999/custom');
  });

  it('reads protocol, headers, compression and timeout, signal-specific first', () => {
    const { config } = capture({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%20def, x-tenant = t1',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
    });
    expect(config.otlp.protocol).toBe('http/json');
    expect(config.otlp.headers).toEqual({ 'api-key': 'abc def', 'x-tenant': 't1' });
    expect(config.otlp.compression).toBe('gzip');
    expect(config.otlp.timeoutMs).toBe(2500);
  });

  it('reads OTLP/gRPC: port 4317 by default, endpoints used as is, INSECURE only for an endpoint without a scheme', () => {
    const grpc = (env: Record<string, string>) => capture({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', ...env });
    expect(grpc({}).config.otlp).toMatchObject({ protocol: 'grpc', url: 'http://localhost:4317' });
    expect(grpc({}).lines).toEqual([]);
    expect(capture({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'GRPC' }).config.otlp.protocol).toBe('grpc');
    // No /v1/traces: the gRPC method names the signal.
    expect(grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }).config.otlp.url).toBe('http://collector:4317');
    expect(grpc({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4317' }).config.otlp.url).toBe('https://collector:4317');
    expect(grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }).config.otlp.url).toBe('https://collector:4317');
    expect(grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' }).config.otlp.url).toBe(
      'http://collector:4317',
    );
    expect(
      grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'false', OTEL_EXPORTER_OTLP_TRACES_INSECURE: 'true' })
        .config.otlp.url,
    ).toBe('http://collector:4317');
    // A scheme wins over INSECURE (spec: https takes precedence).
    expect(grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' }).config.otlp.url).toBe(
      'https://collector:4317',
    );
    const bad = grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_INSECURE: 'maybe' });
    expect(bad.lines).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_INSECURE="maybe"')]);
    expect(bad.config.otlp.url).toBe('https://collector:4317');
    const unix = grpc({ OTEL_EXPORTER_OTLP_ENDPOINT: 'unix:///tmp/otel.sock' });
    expect(unix.config.otlp.url).toBe('http://localhost:4317');
    expect(unix.lines).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT')]);
  });

  it('reads the TLS file variables, signal-specific first; a client certificate without its key is one line and unused', () => {
    const { config, lines } = capture({
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/generic-ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: '/etc/traces-ca.pem',
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/client.pem',
      OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: '/etc/client.key',
    });
    expect(lines).toEqual([]);
    expect(config.otlp.tls).toEqual({
      certificate: { variable: 'OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE', file: '/etc/traces-ca.pem' },
      clientCertificate: { variable: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', file: '/etc/client.pem' },
      clientKey: { variable: 'OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY', file: '/etc/client.key' },
    });
    expect(capture({}).config.otlp.tls).toEqual({ certificate: undefined });
    const alone = capture({ OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: '/etc/client.pem' });
    expect(alone.lines).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE is set without OTEL_EXPORTER_OTLP_CLIENT_KEY')]);
    expect(alone.config.otlp.tls).toEqual({ certificate: undefined });
  });

  it('lets OTEL_SERVICE_NAME win over service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    const { config } = capture({
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment.name=prod,team=a%2Cb',
      OTEL_SERVICE_NAME: 'checkout',
    });
    expect(config.serviceName).toBe('checkout');
    expect(config.resourceAttributes['service.name']).toBe('checkout');
    expect(config.resourceAttributes['deployment.environment.name']).toBe('prod');
    expect(config.resourceAttributes['team']).toBe('a,b');
    expect(capture({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }).config.serviceName).toBe('from-attrs');
  });

  it.each([
    ['OTEL_SDK_DISABLED', 'yes'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_BSP_SCHEDULE_DELAY', '-5'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', 'lots'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc-ish'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'brotli'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '1e3'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
    ['OTEL_LOG_LEVEL', 'chatty'],
    ['OTEL_ATTRIBUTE_COUNT_LIMIT', '12.5'],
  ])('reports invalid %s=%s in one line naming both, then uses the default', (name, value) => {
    const env: Record<string, string> = { [name]: value };
    if (name === 'OTEL_TRACES_SAMPLER_ARG') env.OTEL_TRACES_SAMPLER = 'traceidratio';
    const defaults = capture({}).config;
    const { config, lines } = capture(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(lines[0]).toContain(JSON.stringify(value));
    expect(config.bsp).toEqual(defaults.bsp);
    expect(config.otlp.url).toBe(defaults.otlp.url);
    expect(config.disabled).toBe(false);
    expect(config.sampler.arg).toBe(1);
    expect(config.limits.attributeCountLimit).toBe(128);
  });

  it('treats empty values as unset and honours OTEL_SDK_DISABLED', () => {
    expect(capture({ OTEL_TRACES_SAMPLER: '  ', OTEL_SDK_DISABLED: '' }).lines).toEqual([]);
    expect(capture({ OTEL_SDK_DISABLED: 'TRUE' }).config.disabled).toBe(true);
  });

  it('reads the exporter list, with none winning', () => {
    expect(capture({ OTEL_TRACES_EXPORTER: 'console, otlp' }).config.exporters).toEqual(['console', 'otlp']);
    expect(capture({ OTEL_TRACES_EXPORTER: 'otlp,none' }).config.exporters).toEqual(['none']);
    const bad = capture({ OTEL_TRACES_EXPORTER: 'jaeger-thrift' });
    expect(bad.config.exporters).toEqual(['otlp']);
    expect(bad.lines[0]).toContain('OTEL_TRACES_EXPORTER');
  });

  it('reads sampler, propagators, limits and instrumentation lists', () => {
    const { config } = capture({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_PROPAGATORS: 'b3multi,tracecontext',
      OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
      OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '64',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '3',
      OTEL_SPAN_LINK_COUNT_LIMIT: '2',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'fs, Express',
    });
    expect(config.sampler).toEqual({ name: 'parentbased_traceidratio', arg: 0.25, rules: [] });
    expect(config.propagators).toEqual(['b3multi', 'tracecontext']);
    expect(config.limits).toMatchObject({ attributeCountLimit: 10, attributeValueLengthLimit: 64, eventCountLimit: 3, linkCountLimit: 2 });
    expect(config.bsp.maxQueueSize).toBe(100);
    expect(config.bsp.maxExportBatchSize).toBe(10);
    expect(config.instrumentations).toEqual({ enabled: undefined, disabled: ['fs', 'express'], settings: DEFAULT_SETTINGS });
  });

  it('hands WAYMARK_KOA_MIDDLEWARE_SPANS to the koa instrumentation (off unless true)', () => {
    expect(capture({}).config.instrumentations.settings.koa.middlewareSpans).toBe(false);
    expect(capture({ WAYMARK_KOA_MIDDLEWARE_SPANS: 'true' }).config.instrumentations.settings.koa.middlewareSpans).toBe(true);
    const { config, lines } = capture({ WAYMARK_KOA_MIDDLEWARE_SPANS: 'yes' });
    expect(config.instrumentations.settings.koa.middlewareSpans).toBe(false);
    expect(lines[0]).toContain('WAYMARK_KOA_MIDDLEWARE_SPANS');
  });

  it('hands WAYMARK_GRAPHQL_RESOLVER_SPANS to the graphql instrumentation (off unless true; anything else: one warn line)', () => {
    expect(capture({}).config.instrumentations.settings.graphql.resolverSpans).toBe(false);
    expect(capture({ WAYMARK_GRAPHQL_RESOLVER_SPANS: 'TRUE' }).config.instrumentations.settings.graphql.resolverSpans).toBe(true);
    const { config, lines } = capture({ WAYMARK_GRAPHQL_RESOLVER_SPANS: 'on' });
    expect(config.instrumentations.settings.graphql.resolverSpans).toBe(false);
    expect(lines).toEqual(['[waymark] warn: invalid WAYMARK_GRAPHQL_RESOLVER_SPANS="on"; using the default (false)']);
  });

  it('hands WAYMARK_CONSOLE_TRACE_CONTEXT to the console instrumentation (off unless true)', () => {
    expect(capture({}).config.instrumentations.settings.console.traceContext).toBe(false);
    expect(capture({ WAYMARK_CONSOLE_TRACE_CONTEXT: 'TRUE' }).config.instrumentations.settings.console.traceContext).toBe(true);
    const { config, lines } = capture({ WAYMARK_CONSOLE_TRACE_CONTEXT: '1' });
    expect(config.instrumentations.settings.console.traceContext).toBe(false);
    expect(lines[0]).toContain('WAYMARK_CONSOLE_TRACE_CONTEXT');
  });

  it('caps the batch size at the queue size', () => {
    const { config, lines } = capture({ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50' });
    expect(config.bsp.maxExportBatchSize).toBe(10);
    expect(lines[0]).toContain('OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  });

  it('OTEL_LOG_LEVEL=none silences diagnostics about other variables', () => {
    expect(capture({ OTEL_LOG_LEVEL: 'none', OTEL_TRACES_SAMPLER: 'bogus' }).lines).toEqual([]);
  });
});
