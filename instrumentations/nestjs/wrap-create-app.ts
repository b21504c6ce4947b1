import { context, isTracingSuppressed, SpanKind, type AnyFunction, type InstrumentationKit, type MakeWrapper } from '../../src/instrument';
import { appCreationAttributes } from './recipe';
import { APP_CREATION_SPAN_NAME } from './semconv';
import { runInSpan } from './span-run';

/**
 * `NestFactory.create(AppModule, ...)`: the app's start (modules resolved, providers made,
 * their connections opened) in a span `Create Nest App`, as OpenTelemetry names it.
 */
export function wrapCreateApp(kit: InstrumentationKit, version: string | undefined): MakeWrapper {
  return (original: AnyFunction) =>
    function create(this: unknown, module: unknown): unknown {
      if (!kit.active) return original.apply(this, arguments as never);
      const parent = context.active();
      if (isTracingSuppressed(parent)) return original.apply(this, arguments as never);
      const attributes = kit.safe2(appCreationAttributes, module, version);
      if (attributes === undefined) return original.apply(this, arguments as never);
      const span = kit.startSpan(APP_CREATION_SPAN_NAME, SpanKind.INTERNAL, attributes, parent);
      return runInSpan(kit, span, parent, original, this, arguments, undefined);
    };
}
