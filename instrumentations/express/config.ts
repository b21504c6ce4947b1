/** Settings of the express instrumentation, read once when it loads. */
export interface ExpressConfig {
  /** INTERNAL spans per middleware/router/route handler (`WAYMARK_EXPRESS_MIDDLEWARE_SPANS=true`). */
  readonly middlewareSpans: boolean;
}

/** Reads the express settings from `env`. */
export function readExpressConfig(env: Record<string, string | undefined> = process.env): ExpressConfig {
  return { middlewareSpans: (env.WAYMARK_EXPRESS_MIDDLEWARE_SPANS ?? '').trim().toLowerCase() === 'true' };
}
