import { ownerOf, type Instrumentation, type InstrumentationKit, type MakeWrapper, type Methods } from '../../src/instrument';
import { wrapLoop, wrapCallProcessJob } from './process';
import { wrapAdd, wrapAddBulk, wrapFlowAdd, wrapFlowAddBulk, wrapUpsertJobScheduler } from './produce';

/**
 * BullMQ 5 and 6 (the package's main file, which `import` reaches too): a PRODUCER span
 * `send <queue>` per `add`, `addBulk`, `upsertJobScheduler` and flow, a CONSUMER span
 * `process <queue>` per attempt in the producer's trace (the context travels in the job's
 * options), and the library's own loops detached from the caller's trace. Instances given
 * BullMQ's own `telemetry` option are left to it.
 */

type Patches = Record<string, Record<string, (kit: InstrumentationKit) => MakeWrapper>>;

// `upsertJobScheduler` exists from 5.16; `run` of QueueEvents and Worker in every version.
const PATCHES: Patches = {
  Queue: { add: wrapAdd, addBulk: wrapAddBulk, upsertJobScheduler: wrapUpsertJobScheduler },
  FlowProducer: { add: wrapFlowAdd, addBulk: wrapFlowAddBulk },
  Worker: { callProcessJob: wrapCallProcessJob, run: wrapLoop },
  QueueEvents: { run: wrapLoop },
};

function owners(moduleExports: unknown, className: string, method: string): Methods | undefined {
  return ownerOf((moduleExports as Record<string, unknown> | null)?.[className], method);
}

/** Patches of bullmq's main exports: Queue, FlowProducer, Worker and QueueEvents prototypes. */
export const instrumentation: Instrumentation = {
  patch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    if (owners(moduleExports, 'Queue', 'add') === undefined || owners(moduleExports, 'Worker', 'callProcessJob') === undefined) {
      throw new Error('bullmq: Queue#add or Worker#callProcessJob not found');
    }
    for (const [className, methods] of Object.entries(PATCHES)) {
      for (const [method, make] of Object.entries(methods)) {
        const owner = owners(moduleExports, className, method);
        if (owner !== undefined) kit.wrap(owner, method, make(kit));
      }
    }
  },
  unpatch(moduleExports: unknown, _target, kit: InstrumentationKit) {
    for (const [className, methods] of Object.entries(PATCHES)) {
      for (const method of Object.keys(methods)) {
        const owner = owners(moduleExports, className, method);
        if (owner !== undefined) kit.unwrap(owner, method);
      }
    }
  },
};
