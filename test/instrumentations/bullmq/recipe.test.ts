import { describe, expect, it } from 'vitest';
import { SpanKind } from '@opentelemetry/api';
import {
  addedJobId,
  addSpec,
  batchSpec,
  entriesWithMetadata,
  flowSize,
  flowWithMetadata,
  isRepeated,
  MAX_METADATA_LENGTH,
  metadataCarrier,
  processSpec,
  schedulerSpec,
  withMetadata,
} from '../../../instrumentations/bullmq/recipe';

describe('bullmq recipes', () => {
  it('addSpec: send <queue>, PRODUCER, job name, given id and delay; never the data', () => {
    expect(addSpec({ queue: 'mail', name: 'welcome', opts: { jobId: 'j-1', delay: 50 } })).toEqual({
      name: 'send mail',
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': 'mail',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.bullmq.job.name': 'welcome',
        'messaging.message.id': 'j-1',
        'messaging.bullmq.job.delay': 50,
      },
    });
    expect(addSpec({ queue: 'mail', name: { odd: true }, opts: { delay: 0 } }).attributes).not.toHaveProperty('messaging.bullmq.job.delay');
  });

  it('batchSpec: the count; a flow bulk over several queues names no destination', () => {
    expect(batchSpec({ queue: 'q', count: 3 }).attributes).toMatchObject({ 'messaging.batch.message_count': 3, 'messaging.destination.name': 'q' });
    const mixed = batchSpec({ queue: undefined, count: 2 });
    expect(mixed.name).toBe('send');
    expect(mixed.attributes).not.toHaveProperty('messaging.destination.name');
  });

  it('schedulerSpec: the scheduler id, the template name (else the id)', () => {
    expect(schedulerSpec({ queue: 'q', scheduler: 's1', template: { name: 'tick' } }).attributes).toMatchObject({
      'messaging.bullmq.job.scheduler': 's1',
      'messaging.bullmq.job.name': 'tick',
    });
    expect(schedulerSpec({ queue: 'q', scheduler: 's1', template: undefined }).attributes['messaging.bullmq.job.name']).toBe('s1');
  });

  it('processSpec: process <queue>, CONSUMER, attempt from 1, scheduler of a repeated job', () => {
    expect(processSpec({ queue: 'q', job: { id: '7', name: 'n', attemptsMade: 2, repeatJobKey: 'r' } })).toEqual({
      name: 'process q',
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': 'q',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.message.id': '7',
        'messaging.bullmq.job.name': 'n',
        'messaging.bullmq.job.attempt': 3,
        'messaging.bullmq.job.scheduler': 'r',
      },
    });
    expect(processSpec({ queue: undefined, job: { queueName: 'from-job' } }).attributes).toMatchObject({ 'messaging.destination.name': 'from-job', 'messaging.bullmq.job.attempt': 1 });
  });

  it('withMetadata copies; keeps what the job says of its own context', () => {
    const opts = { attempts: 2, telemetry: { other: 1 } } as never;
    const out = withMetadata(opts, 'M');
    expect(out).toEqual({ attempts: 2, telemetry: { other: 1, metadata: 'M' } });
    expect(opts).toEqual({ attempts: 2, telemetry: { other: 1 } });
    expect(withMetadata(undefined, 'M')).toEqual({ telemetry: { metadata: 'M' } });
    expect(withMetadata({ telemetry: { metadata: 'theirs' } }, 'M')).toBeUndefined();
    expect(withMetadata({ telemetry: { omitContext: true } }, 'M')).toBeUndefined();
  });

  it('entriesWithMetadata and flowWithMetadata copy; data objects are shared, never changed', () => {
    const data = { d: 1 };
    const entries = [{ name: 'a', data }, { name: 'b', data, opts: { telemetry: { metadata: 'x' } } }];
    const out = entriesWithMetadata(entries, 'M');
    expect(out[0]).toEqual({ name: 'a', data, opts: { telemetry: { metadata: 'M' } } });
    expect(out[0]!.data).toBe(data);
    expect(out[1]).toBe(entries[1]);
    expect(entries[0]).toEqual({ name: 'a', data });
    const flow = { name: 'p', queueName: 'q', data, children: [{ name: 'c', queueName: 'q', data, children: [{ name: 'g', queueName: 'q' }] }] };
    const copied = flowWithMetadata(flow, 'M');
    expect(JSON.stringify(copied).match(/"metadata":"M"/g)).toHaveLength(3);
    expect(flow.children[0]).not.toHaveProperty('opts');
    expect(flowSize([flow, { name: 'x' }])).toBe(4);
  });

  it('metadataCarrier reads a JSON object of bounded length only', () => {
    const job = (metadata: unknown) => ({ opts: { telemetry: { metadata } } });
    expect(metadataCarrier(job('{"traceparent":"00-a-b-01"}'))).toEqual({ traceparent: '00-a-b-01' });
    expect(metadataCarrier(job('not json'))).toBeUndefined();
    expect(metadataCarrier(job('[1]'))).toBeUndefined();
    expect(metadataCarrier(job(42))).toBeUndefined();
    expect(metadataCarrier(job(`{"k":"${'x'.repeat(MAX_METADATA_LENGTH)}"}`))).toBeUndefined();
    expect(metadataCarrier({})).toBeUndefined();
  });

  it('addedJobId and isRepeated', () => {
    expect(addedJobId({ id: '5' })).toBe('5');
    expect(addedJobId({ job: { id: 9 } })).toBe('9');
    expect(addedJobId(null)).toBeUndefined();
    expect(isRepeated({ repeatJobKey: 'k' })).toBe(true);
    expect(isRepeated({ repeatJobKey: '' })).toBe(false);
  });
});
