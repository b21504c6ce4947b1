import { ownerOf, type Instrumentation, type InstrumentationKit } from '../../src/instrument';
import { wrapCommand } from './wrap-command';

/** memcached (the `memcached` client) 2.x: every command goes through `Memcached#command`. */
export const instrumentation: Instrumentation = {
  patch(exports: unknown, _target, kit: InstrumentationKit): void {
    const owner = ownerOf(exports, 'command');
    if (owner !== undefined) kit.wrap(owner, 'command', wrapCommand(kit));
  },
  unpatch(exports: unknown, _target, kit: InstrumentationKit): void {
    const owner = ownerOf(exports, 'command');
    if (owner !== undefined) kit.unwrap(owner, 'command');
  },
};
