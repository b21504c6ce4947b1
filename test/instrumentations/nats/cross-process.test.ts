import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { attributeMap, startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver';
import { assertBuilt, FIXTURES } from '../../helpers/paths';
import { runNode, spawnNode } from '../../helpers/run-node';
import { uniquePrefix } from '../../helpers/unique-prefix';

// A requester (ESM, @nats-io/transport-node 3, --import ./register.mjs) and a responder
// (CommonJS, nats 2, --require ./register.js) in two processes, exporting to one OTLP
// receiver: the request carries the trace to the responder.
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;

let receiver: OtlpReceiver;
beforeAll(() => assertBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function env(service: string, subject: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    WM_SUBJECT: subject,
    ...extra,
  };
}

const subjectFor = () => `${uniquePrefix('natsx').replace(/[^A-Za-z0-9]/g, '_')}.svc`;

describe('nats across processes (ESM requester on 3.x, CommonJS responder on 2.x)', () => {
  it('one trace: requester root -> request PRODUCER -> (message) -> process CONSUMER -> handler span', async () => {
    const subject = subjectFor();
    const responder = spawnNode(['--require', './register.js', join(FIXTURES, 'nats-responder.js')], { env: env('responder-service', subject) });
    await responder.waitForOutput(/READY\n/);
    const req = await runNode(['--import', './register.mjs', join(FIXTURES, 'nats-requester.mjs')], { env: env('requester-service', subject) });
    expect(req.stderr).toBe('');
    expect(req.code).toBe(0);
    expect(req.stdout).toContain('REPLY answer to ping');
    const done = await responder.exited;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);

    const spans = await receiver.waitForSpans(4);
    const byName = (n: string) => spans.find((s) => s.name === n)!;
    const root = byName('requester-root');
    const request = byName(`request ${subject}`);
    const processing = byName(`process ${subject}`);
    const handler = byName('handle-message');
    expect(request.kind).toBe(KIND_PRODUCER);
    expect(processing.kind).toBe(KIND_CONSUMER);
    for (const s of [request, processing, handler]) expect(s.traceId).toBe(root.traceId);
    expect(request.parentSpanId).toBe(root.spanId);
    expect(processing.parentSpanId).toBe(request.spanId);
    expect(handler.parentSpanId).toBe(processing.spanId);
    const service = (s: { resource: Parameters<typeof attributeMap>[0] }) => attributeMap(s.resource)['service.name'];
    expect(service(request)).toBe('requester-service');
    expect(service(processing)).toBe('responder-service');
    expect(done.stdout).toContain(`DONE 00-${root.traceId}-${request.spanId}-03`);
    expect(attributeMap(processing.attributes)).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': subject,
    });
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=nats on both sides: no nats span, no header sent, the reply unchanged', async () => {
    const subject = subjectFor();
    const off = { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'nats' };
    const responder = spawnNode(['--require', './register.js', join(FIXTURES, 'nats-responder.js')], { env: env('responder-service', subject, off) });
    await responder.waitForOutput(/READY\n/);
    const req = await runNode(['--import', './register.mjs', join(FIXTURES, 'nats-requester.mjs')], { env: env('requester-service', subject, off) });
    expect(req.stderr).toBe('');
    expect(req.stdout).toContain('REPLY answer to ping');
    const done = await responder.exited;
    expect(done.stdout).toContain('DONE none');
    await receiver.waitForSpans(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.spans().map((s) => s.name).sort()).toEqual(['handle-message', 'requester-root']);
  });
});
