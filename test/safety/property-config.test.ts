import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config';
import { setLogLevel, setLogSink } from '../../src/diag';

const VARS = [
  'OTEL_SDK_DISABLED', 'OTEL_SERVICE_NAME', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_TRACES_EXPORTER',
  'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_COMPRESSION', 'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_PROPAGATORS', 'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_EXPORT_TIMEOUT', 'OTEL_BSP_MAX_QUEUE_SIZE', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_SPAN_EVENT_COUNT_LIMIT',
  'OTEL_SPAN_LINK_COUNT_LIMIT', 'OTEL_LOG_LEVEL', 'OTEL_EXPORTER_ZIPKIN_ENDPOINT',
];

afterEach(() => {
  setLogSink((l) => process.stderr.write(l + '\n'));
  setLogLevel('info');
});

describe('property: OTEL_* values', () => {
  it('never throw, always give a usable configuration, and diagnose in single lines', () => {
    const value = fc.oneof(fc.string({ maxLength: 80 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom('', ' ', 'true', 'FALSE', '0', '-1', 'NaN', '1e309', '%zz', '=,=,'));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...VARS), value), (env) => {
        const lines: string[] = [];
        setLogSink((l) => lines.push(l));
        const c = readConfig(env);
        setLogLevel('info');
        expect(c.bsp.maxQueueSize).toBeGreaterThanOrEqual(1);
        expect(c.bsp.maxExportBatchSize).toBeGreaterThanOrEqual(1);
        expect(c.bsp.maxExportBatchSize).toBeLessThanOrEqual(c.bsp.maxQueueSize);
        expect(Number.isFinite(c.bsp.scheduleDelayMs)).toBe(true);
        expect(c.sampler.arg).toBeGreaterThanOrEqual(0);
        expect(c.sampler.arg).toBeLessThanOrEqual(1);
        expect(() => new URL(c.otlp.url)).not.toThrow();
        expect(['http/protobuf', 'http/json']).toContain(c.otlp.protocol);
        expect(c.exporters.length).toBeGreaterThan(0);
        expect(typeof c.serviceName).toBe('string');
        expect(c.limits.attributeCountLimit).toBeGreaterThanOrEqual(0);
        for (const l of lines) expect(l).not.toMatch(/\n/);
      }),
      { numRuns: 2000 },
    );
  });
});
