import type { AnyFunction, InstrumentationKit, SpanCall } from '../../src/instrument';
import { sourceOf, type Receiver, type Source } from './delivery';
import { startProcess } from './process';

type Iter = AsyncIterator<unknown> & { return?(v?: unknown): Promise<IteratorResult<unknown>>; throw?(e?: unknown): Promise<IteratorResult<unknown>> };

/**
 * The iterator the app's `for await` loop reads: each message it hands out gets a CONSUMER
 * span (the producer's child) from the moment the loop receives it until the loop asks for
 * the next one or leaves. The span cannot be the loop body's active context: an `await`
 * resumes the app's async function in the context it had, whatever the iterator does, so
 * spans the body makes keep the loop's own parent.
 */
class TracedIterator {
  #current: SpanCall | undefined;

  constructor(
    readonly kit: InstrumentationKit,
    readonly source: Source,
    readonly it: Iter,
  ) {}

  #endCurrent(): void {
    const current = this.#current;
    this.#current = undefined;
    current?.end();
  }

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    this.#endCurrent();
    return this.it.next(value).then((result) => {
      if (result !== null && typeof result === 'object' && result.done !== true && this.kit.active) {
        this.#current = startProcess(this.kit, this.source, result.value);
      }
      return result;
    });
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.#endCurrent();
    return typeof this.it.return === 'function' ? this.it.return(value) : Promise.resolve({ done: true, value });
  }

  throw(err?: unknown): Promise<IteratorResult<unknown>> {
    this.#endCurrent();
    if (typeof this.it.throw === 'function') return this.it.throw(err);
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * `QueuedIteratorImpl#iterate()`, behind `for await (const m of sub)` of a core subscription
 * and of a JetStream consumer's `consume()`/`fetch()` messages: the generator is handed out
 * behind a `TracedIterator`. Other iterators of the library (status, watchers, request
 * replies) are returned as they are.
 */
export function wrapIterate(kit: InstrumentationKit) {
  return (original: AnyFunction) =>
    function iterate(this: Receiver): unknown {
      const it = original.apply(this, arguments as never) as Iter | null;
      if (!kit.active || it === null || typeof it !== 'object' || typeof it.next !== 'function') return it;
      const source = kit.safe(sourceOf, this);
      return source === undefined ? it : new TracedIterator(kit, source, it);
    };
}
