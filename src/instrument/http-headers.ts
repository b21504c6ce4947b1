import type { Attributes } from '@opentelemetry/api';
import type { IncomingHttpHeaders, OutgoingHttpHeader } from 'node:http';

// Header capture (`http.request.header.<name>` / `http.response.header.<name>`, string
// arrays), shared by http and http2. Only the names configured are read: a header no one
// named is never recorded. Callers test `names.length > 0` first, so requests without
// capture pay nothing.

/** Adds `<prefix><name>: string[]` for each configured header `get` finds (any outgoing value shape). */
export function captureHeaders(
  attrs: Attributes,
  prefix: string,
  names: readonly string[],
  get: (name: string) => OutgoingHttpHeader | undefined,
): void {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = get(name);
    if (v === undefined) continue;
    attrs[prefix + name] = Array.isArray(v) ? v.map(String) : [String(v)];
  }
}

/** Adds `<prefix><name>: string[]` for each configured header of a received headers object (names lower-case, as Node parses them). */
export function incomingHeaderAttributes(attrs: Attributes, prefix: string, headers: IncomingHttpHeaders, names: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = headers[name];
    if (v === undefined) continue;
    attrs[prefix + name] = Array.isArray(v) ? v : [v];
  }
}
