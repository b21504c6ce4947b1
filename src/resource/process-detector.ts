import path from 'node:path';
import type { Attributes } from '@opentelemetry/api';

/**
 * process.* attributes. The command line is opt-in (`commandArgs`): arguments often carry
 * connection strings and tokens, and a resource is sent with every export.
 */
export function detectProcess(commandArgs: boolean, proc: NodeJS.Process = process): Attributes {
  const out: Attributes = {
    'process.pid': proc.pid,
    'process.executable.name': path.basename(proc.execPath, '.exe'),
    'process.executable.path': proc.execPath,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': proc.versions.node,
    'process.runtime.description': 'Node.js',
  };
  if (commandArgs) out['process.command_args'] = [proc.argv[0] ?? proc.execPath, ...proc.execArgv, ...proc.argv.slice(1)];
  return out;
}
