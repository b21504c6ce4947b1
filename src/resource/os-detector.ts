import os from 'node:os';
import type { Attributes } from '@opentelemetry/api';

/** Node's process.platform as the semantic conventions spell os.type. */
const OS_TYPE: Record<string, string> = { win32: 'windows', sunos: 'solaris', aix: 'aix', android: 'linux', cygwin: 'windows' };

/** os.type and os.version (the kernel release). */
export function detectOs(platform: string = process.platform, release: () => string = os.release): Attributes {
  const out: Attributes = { 'os.type': OS_TYPE[platform] ?? platform };
  try {
    out['os.version'] = release();
  } catch {
    // Left out.
  }
  return out;
}
