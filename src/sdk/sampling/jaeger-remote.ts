import type { TraceId } from '../../span-context/ids';
import { Http1Client } from '../../export/http1-client';
import { diag, describeError } from '../../diag';
import { probabilityDecision } from './threshold';
import { strategyDecision, type StrategyDecision } from './jaeger-strategy';

export interface JaegerRemoteOptions {
  /** The sampling endpoint, e.g. http://localhost:5778/sampling; `?service=` is added. */
  endpoint: string;
  pollingIntervalMs: number;
  /** The probability used until the first strategy arrives. */
  initialSamplingRate: number;
  serviceName: string;
}

// A strategy document is small; anything bigger is not one.
const MAX_BODY_BYTES = 256 * 1024;
const TIMEOUT_MS = 10_000;

/**
 * The Jaeger remote sampler: polls the endpoint with the agent's own HTTP client (no
 * node:http, so nothing of it is traced) on an unreferenced timer, so it never keeps the
 * process alive, and swaps in the new strategy's decision. Until the first answer the
 * initial rate decides; when the endpoint fails or answers nonsense, the last good
 * strategy stays, with one line until it answers again.
 */
export class JaegerRemoteSampler {
  #decide: StrategyDecision;
  #lastBody: string | undefined;
  #failing = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #client: Http1Client;
  readonly #url: URL;
  readonly #intervalMs: number;

  constructor(opts: JaegerRemoteOptions) {
    const initial = probabilityDecision(opts.initialSamplingRate);
    this.#decide = (traceId) => initial(traceId);
    this.#url = new URL(opts.endpoint);
    this.#url.searchParams.set('service', opts.serviceName);
    this.#client = new Http1Client({ url: this.#url, headers: { Accept: 'application/json' }, method: 'GET' });
    this.#intervalMs = Math.max(1, opts.pollingIntervalMs);
  }

  /** The current strategy's decision for a span named `operation`. */
  decide(traceId: TraceId, operation: string): string | boolean {
    return this.#decide(traceId, operation);
  }

  /** Starts polling: once now, then every interval. */
  start(): void {
    this.#schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#client.close();
  }

  /** One poll; resolves when the answer has been applied (or the failure noted). */
  async poll(): Promise<void> {
    try {
      const res = await this.#client.get(TIMEOUT_MS, MAX_BODY_BYTES);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const text = res.body.toString('utf8');
      if (text !== this.#lastBody) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new Error('the answer is not JSON');
        }
        const decide = strategyDecision(json);
        if (typeof decide === 'string') throw new Error(decide);
        this.#decide = decide;
        this.#lastBody = text;
        diag.debug(`jaeger_remote: sampling strategy from ${this.#url.origin}${this.#url.pathname}: ${text.slice(0, 200)}`);
      }
      if (this.#failing) diag.info(`jaeger_remote: ${this.#url.origin}${this.#url.pathname} answers again`);
      this.#failing = false;
    } catch (err) {
      if (!this.#failing) {
        diag.warn(
          `jaeger_remote: cannot get the sampling strategy from ${this.#url.origin}${this.#url.pathname} (${describeError(err)}); ` +
            `keeping the ${this.#lastBody === undefined ? 'initial sampling rate' : 'last strategy'} until it answers`,
        );
      }
      this.#failing = true;
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.poll().finally(() => this.#schedule(this.#intervalMs));
    }, delayMs);
    this.#timer.unref();
  }
}
