import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import type { SpanRecord } from '../../../src/export/span-record';
import { nodeRequire } from '../../helpers/tracing';

/** Settings every client of the tests gets: a local endpoint, a region, fixed credentials. */
export function clientConfig(endpoint: string): Record<string, unknown> {
  // s3rver checks signatures against its default key pair; the others accept any.
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, maxAttempts: 1 };
}

/** A local S3 (s3rver, from npm) on a free port over a temporary directory. */
export async function startS3(): Promise<{ url: string; close(): Promise<void> }> {
  const S3rver = nodeRequire('s3rver') as new (opts: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const address = await server.run();
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A local DynamoDB (dynalite, from npm, in memory) on a free port. */
export async function startDynamoDb(): Promise<{ url: string; close(): Promise<void> }> {
  const dynalite = nodeRequire('dynalite') as (opts: Record<string, unknown>) => import('node:http').Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The HTTP client spans (the SDK's own requests) among `spans`. */
export function httpClientSpans(spans: SpanRecord[]): SpanRecord[] {
  return spans.filter((s) => s.scope.name === 'waymark/http' && s.kind === SpanKind.CLIENT);
}
