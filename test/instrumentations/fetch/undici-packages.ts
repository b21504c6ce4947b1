import { readFileSync } from 'node:fs';
import path from 'node:path';
import { satisfies } from 'semver';
import { testedPackages, type TestedPackage } from '../../helpers/registry';

/**
 * The undici packages the fetch entry is tested with that run on this Node: undici 8 needs
 * Node >= 22.19 (it does not load on Node 20), so on Node 20 its cases are not generated;
 * CI's Node 22, 24 and 26 lines run them.
 */
export function undiciPackagesForThisNode(): TestedPackage[] {
  return testedPackages('fetch').filter((p) => {
    const engines = (JSON.parse(readFileSync(path.join(p.dir, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines;
    return engines?.node === undefined || satisfies(process.versions.node, engines.node);
  });
}
