import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { FIXTURES } from '../../helpers/paths';
import { testedPackages } from '../../helpers/registry';
import { nodeRequire } from '../../helpers/tracing';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Grpc = any;
export type EchoClient = any;

export interface EchoService {
  startServer(grpc: Grpc, port?: number): Promise<{ server: any; port: number }>;
  echoClient(grpc: Grpc, port: number, options?: object): EchoClient;
}

/** The shared Echo fixture (test/fixtures/grpc), loaded through the hooks. */
export function echoService(): EchoService {
  return nodeRequire(join(FIXTURES, 'grpc', 'echo-service.js')) as EchoService;
}

/** Each grpc-js the registry entry is tested with: [installed name, module]. */
export function grpcCopies(): Array<[string, Grpc]> {
  return testedPackages('grpc').map(({ id, version }) => [`${id}@${version}`, nodeRequire(id)]);
}

export const SERVICE = 'waymark.test.Echo';

/** A unary call as a promise. */
export function unary(client: EchoClient, request: object, ...rest: unknown[]): Promise<{ text: string; traceId: string }> {
  return new Promise((resolve, reject) => client.Unary(request, ...rest, (err: Error | null, reply: { text: string; traceId: string }) => (err ? reject(err) : resolve(reply))));
}

/** The CLIENT and SERVER spans of one method, newest first. */
export function rpcSpans(spans: SpanRecord[], method: string): { client: SpanRecord[]; server: SpanRecord[] } {
  const named = spans.filter((s) => s.name === `${SERVICE}/${method}`);
  return { client: named.filter((s) => s.kind === SpanKind.CLIENT), server: named.filter((s) => s.kind === SpanKind.SERVER) };
}
