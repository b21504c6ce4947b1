import { type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { withTraceSuffix } from './trace-suffix';

/**
 * One console method (`log`, `info`, ...). Outside a span, with no arguments (an empty line
 * stays empty) or once disabled, the call goes through untouched.
 */
export function wrapConsoleMethod(kit: InstrumentationKit): MakeWrapper {
  return (original: AnyFunction) =>
    function consoleMethod(this: unknown): unknown {
      if (!kit.active || arguments.length === 0) return original.apply(this, arguments as never);
      const sc = kit.activeSpanContext();
      if (sc === undefined) return original.apply(this, arguments as never);
      const args = kit.safe2(withTraceSuffix, arguments, sc);
      return original.apply(this, (args ?? arguments) as never);
    };
}
