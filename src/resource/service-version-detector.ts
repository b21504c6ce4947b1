import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Attributes } from '@opentelemetry/api';

/** How many directories up from the entry script a package.json is looked for. */
const MAX_DEPTH = 16;

/**
 * service.version from the nearest package.json above the entry script (process.argv[1]):
 * one small synchronous read, plus a failed open per directory without one. Nothing when
 * there is no entry script (`node -e`, the REPL) or no version in that file.
 */
export function detectServiceVersion(entry: string | undefined, read: (file: string) => string = readUtf8): Attributes {
  if (entry === undefined || entry === '') return {};
  let dir = path.dirname(path.resolve(entry));
  for (let i = 0; i < MAX_DEPTH; i++) {
    let text: string | undefined;
    try {
      text = read(path.join(dir, 'package.json'));
    } catch {
      text = undefined;
    }
    if (text !== undefined) return versionOf(text);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return {};
}

function versionOf(text: string): Attributes {
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' && version !== '' && version.length <= 256 ? { 'service.version': version } : {};
  } catch {
    return {};
  }
}

function readUtf8(file: string): string {
  return readFileSync(file, 'utf8');
}
