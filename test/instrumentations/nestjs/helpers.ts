import { createRequire } from 'node:module';
import path from 'node:path';
import type { HookConfig, HooksHandle } from '../../../src/hooks';
import type { TestAgent } from '../../helpers/agent-harness';
import { FIXTURES, ROOT } from '../../helpers/paths';
import { installedPackage, testedPackages, type TestedPackage } from '../../helpers/registry';
import { nodeRequire, startTracing } from '../../helpers/tracing';

export { serverSpanFor, traceOf, pollSpans } from '../../helpers/spans';

// Nest through require(), untyped on purpose (Nest 12 is an ES module: require(esm)).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

/** The platforms a Nest app runs on, by their package's name suffix. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The majors the registry entry is tested with: `nest10` is a package of the repository's
 * (test/fixtures/nest10) whose dependencies are Nest 10's packages, `@nestjs/core` the newest.
 */
export const NEST_VERSIONS_UNDER_TEST = testedPackages('nestjs').map((tested) => ({ id: tested.id, major: majorOf(tested), tested }));

/** The packages of one Nest major on one platform, as the fixture app takes them. */
export interface NestPackages {
  core: Any;
  common: Any;
  platform: Any;
  rxjs: Any;
}

/** Starts the SDK (in-memory spans) and the hooks; Nest loads through `require` afterwards. */
export function setupNest(config: HookConfig = {}): { agent: TestAgent; hooks: HooksHandle } {
  return startTracing(config);
}

/** Loads one Nest major's packages for `platform`, each as that major's own @nestjs/core would find it. */
export function loadNest(tested: TestedPackage, platform: Platform): NestPackages {
  const from = tested.name === '@nestjs/core' ? ROOT : tested.dir;
  const req = createRequire(path.join(from, 'package.json'));
  req('reflect-metadata');
  return {
    core: req('@nestjs/core'),
    common: req('@nestjs/common'),
    platform: req(`@nestjs/platform-${platform}`),
    rxjs: req('rxjs'),
  };
}

/** The fixture app (test/fixtures/nest/cats-app.cjs): `createCatsApp(nest, work)`. */
export const { createCatsApp } = nodeRequire(path.join(FIXTURES, 'nest/cats-app.cjs')) as {
  createCatsApp(nest: NestPackages, work: (id: string) => Promise<unknown>): Promise<Any>;
};

/** Listens on an ephemeral port of 127.0.0.1; returns the base URL. */
export async function listen(app: Any): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

function majorOf(tested: TestedPackage): number {
  return tested.name === '@nestjs/core' ? tested.major : installedPackage('@nestjs/core', tested.dir).major;
}

/** Closes the app without waiting out the test client's keep-alive sockets. */
export async function close(app: Any): Promise<void> {
  const closing = app.close();
  app.getHttpServer().closeAllConnections();
  await closing;
}
