import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface RunningApp {
  port: number;
  child: ChildProcess;
  stderr(): string;
  get(pathname: string): Promise<{ status: number; body: string; headers: Record<string, string> }>;
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/** Starts a fixture server (optionally under the agent) and waits for "listening <port>". */
export function startApp(
  fixture: string,
  env: Record<string, string>,
  opts: { agent?: boolean; nodeArgs?: string[] } = {},
): Promise<RunningApp> {
  const args = [...(opts.nodeArgs ?? []), ...(opts.agent === false ? [] : ['--require', path.join(ROOT, 'register.js')]), path.join(ROOT, fixture)];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`app exited early (${code}): ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      const port = Number(m[1]);
      child.removeAllListeners('exit');
      resolve({
        port,
        child,
        stderr: () => err,
        get: async (pathname) => {
          const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
          const headers: Record<string, string> = {};
          res.headers.forEach((v, k) => (headers[k] = v));
          return { status: res.status, body: await res.text(), headers };
        },
        stop: () =>
          new Promise((r) => {
            child.once('exit', (code, signal) => r({ code, signal }));
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
