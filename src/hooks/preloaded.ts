import { sep } from 'node:path';
import { diag } from '../diag';

const NODE_MODULES = `${sep}node_modules${sep}`;
const warned = new Set<string>();

/**
 * Warns once per library already in `require.cache` before the hooks were installed:
 * such a library is not instrumented (wrong preload order). Returns the names found.
 */
export function warnPreloaded(packageNames: ReadonlySet<string>, cache: NodeJS.Dict<NodeModule> = require.cache): string[] {
  const found: string[] = [];
  if (packageNames.size === 0) return found;
  for (const file of Object.keys(cache)) {
    const name = packageOf(file);
    if (name === undefined || !packageNames.has(name) || found.includes(name)) continue;
    found.push(name);
    if (warned.has(name)) continue;
    warned.add(name);
    diag.warn(
      `${name} was loaded before the agent started, so it is not instrumented. ` +
        `Load the agent first: node --require waymark/register.js app.js (ESM: node --import waymark/register.mjs app.mjs)`,
    );
  }
  return found;
}

/** Package name of a file inside node_modules (the innermost one), or undefined. */
export function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const rest = file.slice(at + NODE_MODULES.length);
  const first = rest.indexOf(sep);
  if (first < 0) return undefined;
  if (rest.charCodeAt(0) !== 64 /* @ */) return rest.slice(0, first);
  const second = rest.indexOf(sep, first + 1);
  return second < 0 ? undefined : rest.slice(0, first) + '/' + rest.slice(first + 1, second);
}
