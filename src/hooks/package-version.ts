import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, diag } from '../diag';

const versions = new Map<string, string | undefined>();

/**
 * The `version` of the package.json in `basedir`, read once per directory. Read from the
 * file, not `require`: packages with an `exports` map may not expose their package.json.
 */
export function readPackageVersion(basedir: string): string | undefined {
  if (versions.has(basedir)) return versions.get(basedir);
  let version: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(basedir, 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch (err) {
    diag.debug(`could not read the version of ${basedir}: ${describeError(err)}`);
  }
  versions.set(basedir, version);
  return version;
}
