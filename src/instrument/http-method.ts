import { HTTP_REQUEST_METHOD_OTHER } from './semconv';

const KNOWN_METHODS: Record<string, true> = {
  CONNECT: true,
  DELETE: true,
  GET: true,
  HEAD: true,
  OPTIONS: true,
  PATCH: true,
  POST: true,
  PUT: true,
  QUERY: true,
  TRACE: true,
};

/** `http.request.method`: the method if known (case-sensitive, per semconv), else `_OTHER`. */
export function normalizeMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS[method] === true ? method : HTTP_REQUEST_METHOD_OTHER;
}

/** Method part of a span name: `HTTP` stands for methods outside the known set. */
export function spanNameMethod(normalized: string): string {
  return normalized === HTTP_REQUEST_METHOD_OTHER ? 'HTTP' : normalized;
}
