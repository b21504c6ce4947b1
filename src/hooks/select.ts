import { diag } from '../diag';
import type { InstrumentationSettings } from '../instrument/settings';
import type { InstrumentationEntry } from '../instrument/types';

/** Which instrumentations run (OTEL_NODE_ENABLED_INSTRUMENTATIONS / OTEL_NODE_DISABLED_INSTRUMENTATIONS), and their settings. */
export interface HookConfig {
  /** Only these names (all when undefined, empty, or naming no known instrumentation). */
  enabled?: string[];
  /** Never these names; wins over `enabled`. */
  disabled?: string[];
  /** Handed to every instrumentation through its kit (defaults when omitted). */
  settings?: InstrumentationSettings;
}

const ENABLED_VAR = 'OTEL_NODE_ENABLED_INSTRUMENTATIONS';
const DISABLED_VAR = 'OTEL_NODE_DISABLED_INSTRUMENTATIONS';

/**
 * The entries selected by `config`: enabled (all if unset), minus disabled. Names are
 * matched without case, and OpenTelemetry's names for the same instrumentations (an entry's
 * `aliases`, e.g. `undici` for fetch) are accepted. An unknown name gets one line listing
 * the valid ones and is skipped; an enabled list with no known name is ignored (every
 * instrumentation stays enabled), so a typo never switches tracing off.
 */
export function selectEntries(entries: readonly InstrumentationEntry[], config: HookConfig = {}): InstrumentationEntry[] {
  const enabled = resolveNames(entries, config.enabled, ENABLED_VAR);
  const disabled = resolveNames(entries, config.disabled, DISABLED_VAR);
  return entries.filter((e) => {
    const name = e.name.toLowerCase();
    if (disabled !== undefined && disabled.has(name)) return false;
    return enabled === undefined || enabled.has(name);
  });
}

/** The (lower-case) entry names a list names; undefined when the list is unset, empty, or names none. */
function resolveNames(entries: readonly InstrumentationEntry[], list: string[] | undefined, variable: string): Set<string> | undefined {
  if (list === undefined) return undefined;
  const names = list.map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (names.length === 0) return undefined;
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    const entry = entries.find((e) => e.name.toLowerCase() === name || (e.aliases?.includes(name) ?? false));
    if (entry === undefined) unknown.push(name);
    else found.add(entry.name.toLowerCase());
  }
  if (unknown.length > 0) {
    const outcome =
      found.size > 0 ? `skipped ${unknown.map((n) => JSON.stringify(n)).join(', ')}` : variable === ENABLED_VAR ? 'using the default (every instrumentation)' : 'ignored';
    diag.warn(`invalid ${variable}=${JSON.stringify(list.join(','))}: unknown instrumentation name; valid names: ${validNames(entries)}; ${outcome}`);
  }
  return found.size > 0 ? found : undefined;
}

function validNames(entries: readonly InstrumentationEntry[]): string {
  const names: string[] = [];
  for (const e of entries) {
    const text = e.aliases !== undefined && e.aliases.length > 0 ? `${e.name} (or ${e.aliases.join(', ')})` : e.name;
    if (!names.includes(text)) names.push(text);
  }
  return names.join(', ');
}
