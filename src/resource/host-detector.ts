import os from 'node:os';
import type { Attributes } from '@opentelemetry/api';

/** Node's process.arch as the semantic conventions spell host.arch. */
const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm32',
  ia32: 'x86',
  ppc: 'ppc32',
  ppc64: 'ppc64',
  s390x: 's390x',
};

/** host.name and host.arch (no I/O beyond the hostname system call). */
export function detectHost(arch: string = process.arch, hostname: () => string = os.hostname): Attributes {
  const out: Attributes = { 'host.arch': ARCH[arch] ?? arch };
  try {
    out['host.name'] = hostname();
  } catch {
    // No hostname: the attribute is left out rather than guessed.
  }
  return out;
}
