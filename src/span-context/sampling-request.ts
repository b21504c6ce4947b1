import { createContextKey } from '@opentelemetry/api';

/**
 * A sampling decision the caller sent without a trace to continue: B3's sampling-only
 * forms (`b3: 0|1|d`, `X-B3-Sampled`/`X-B3-Flags` alone). `debug` asks for the trace to
 * be sampled and the request to be marked as debug downstream.
 */
export type SamplingRequest = 'deny' | 'accept' | 'debug';

/**
 * Holds a {@link SamplingRequest} in an extracted context. A propagator sets it (no span
 * context is set: there are no ids); the tracer honours it for the root span it starts,
 * as it would a parent's sampled flag. Format-neutral, so the tracer knows no wire format.
 */
export const SAMPLING_REQUEST_KEY = createContextKey('waymark sampling request');
