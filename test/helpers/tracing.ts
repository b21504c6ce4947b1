import { installHooks, type HookConfig, type HooksHandle } from '../../src/hooks';
import { startTestAgent, type TestAgent } from './agent-harness';
import { testEntries } from './registry';

export { nodeRequire } from './registry';

/** Starts the real SDK with an in-memory exporter, without module hooks (once per test file). */
export function startSdk(): TestAgent {
  return startTestAgent({}, { instrument: false });
}

/** Starts the real SDK (in-memory exporter) and the hooks, with every registry entry that `config` selects. */
export function startTracing(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle } {
  const agent = startSdk();
  const hooks = installHooks(config, testEntries());
  return { agent, hooks };
}
