import { now as clockNow } from '../../clock';

/**
 * A token bucket for "at most `perSecond` traces a second": it holds at most
 * max(1, perSecond) tokens, starts full, and refills continuously at `perSecond`. A
 * decision takes one whole token or none, so a burst arriving at one instant gets exactly
 * the tokens the bucket holds. Node runs decisions one at a time, so no locking is needed.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, now: () => number = clockNow) {
    this.#perMs = perSecond / 1000;
    this.#capacity = Math.max(1, perSecond);
    this.#now = now;
    this.#tokens = this.#capacity;
    this.#at = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    const t = this.#now();
    if (t > this.#at) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + (t - this.#at) * this.#perMs);
      this.#at = t;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
