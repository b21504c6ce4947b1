import { describe, expect, it } from 'vitest';
import { isWrapped } from '../../../src/instrument';
import { inParent, pollSpans } from '../../helpers/spans';
import { startTracing } from '../../helpers/tracing';
import { bullmqMajors, closedAfterAll, CONNECTION, PREFIX, uniqueQueue, type Job } from './majors';

// OTEL_NODE_DISABLED_INSTRUMENTATIONS=bullmq: the library runs exactly as unpatched: no
// wrapper, no bullmq span, and jobs keep the options they were added with.
const { agent, hooks } = startTracing({ disabled: ['bullmq'] });
const opened = closedAfterAll();

describe.each(bullmqMajors())('%s disabled', (_pkg, bull) => {
  it('patches nothing; jobs are added and processed as added; no bullmq span', async () => {
    expect(hooks.instrumentations).not.toContain('bullmq');
    expect(isWrapped(bull.Queue.prototype.add)).toBe(false);
    expect(isWrapped((bull.Worker.prototype as unknown as { callProcessJob: unknown }).callProcessJob)).toBe(false);
    const name = uniqueQueue('off');
    const queue = new bull.Queue(name, { connection: CONNECTION, prefix: PREFIX });
    opened.queues.push(queue);
    const seen: Job[] = [];
    const worker = new bull.Worker(name, async (job) => {
      seen.push(job);
      return 'done';
    }, { connection: CONNECTION, prefix: PREFIX });
    opened.closers.push(worker);
    agent.reset();
    await inParent(() => queue.add('plain', { n: 1 }, { attempts: 1 }));
    await pollSpans(agent, () => (seen.length === 1 ? true : undefined), 'the job processed');
    expect(seen[0]!.data).toStrictEqual({ n: 1 });
    expect(seen[0]!.opts.telemetry).toBeUndefined();
    expect(agent.finishedSpans().filter((s) => s.scope.name === 'waymark/bullmq')).toEqual([]);
  });
});
