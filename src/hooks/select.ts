import type { InstrumentationEntry } from '../instrument/types';

/** Which instrumentations run: OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
export interface HookConfig {
  /** Only these names (all when undefined or empty). */
  enabled?: string[];
  /** Never these names; wins over `enabled`. */
  disabled?: string[];
}

/** The entries selected by `config`: enabled (all if unset), minus disabled. */
export function selectEntries(entries: readonly InstrumentationEntry[], config: HookConfig = {}): InstrumentationEntry[] {
  const enabled = normalize(config.enabled);
  const disabled = normalize(config.disabled);
  return entries.filter((e) => {
    const name = e.name.toLowerCase();
    if (disabled !== undefined && disabled.has(name)) return false;
    return enabled === undefined || enabled.has(name);
  });
}

function normalize(list: string[] | undefined): Set<string> | undefined {
  if (list === undefined) return undefined;
  const names = list.map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  return names.length === 0 ? undefined : new Set(names);
}
