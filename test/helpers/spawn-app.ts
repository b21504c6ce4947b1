import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { ROOT } from './paths';
import { preloadFlags, spawnNode } from './run-node';

export interface RunningApp {
  port: number;
  child: ChildProcess;
  stderr(): string;
  get(pathname: string): Promise<{ status: number; body: string; headers: Record<string, string> }>;
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/** Starts a fixture server (under the agent unless `agent: false`) and waits for "listening <port>". */
export async function startApp(
  fixture: string,
  env: Record<string, string>,
  opts: { agent?: boolean; nodeArgs?: string[] } = {},
): Promise<RunningApp> {
  const app = spawnNode([...(opts.nodeArgs ?? []), ...preloadFlags(opts.agent === false ? 'none' : 'require'), path.join(ROOT, fixture)], { env });
  const port = Number((await app.waitForOutput(/listening (\d+)/))[1]);
  return {
    port,
    child: app.child,
    stderr: app.stderr,
    get: async (pathname) => {
      const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, body: await res.text(), headers };
    },
    stop: async () => {
      app.child.kill('SIGTERM');
      const { code, signal } = await app.exited;
      return { code, signal };
    },
  };
}
