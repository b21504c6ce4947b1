import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TraceStore } from './trace-store';
import { answerApi, MapCache } from './web-api';

/*
 * The web UI's server: the page (bundled at build time into build/ui, served from memory,
 * nothing fetched from any other origin) and the JSON API over the trace store.
 */

/** How to serve the UI. */
export interface WebUiOptions {
  store: TraceStore;
  /** Default 16686 (Jaeger's UI port); when taken, the next free one of the following 20. 0 picks any. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where index.html, app.js and app.css are (default: build/ui of this package). */
  uiDir?: string;
  warn?: (line: string) => void;
}

/** A running UI server. */
export interface WebUi {
  /** E.g. http://127.0.0.1:16686 */
  readonly url: string;
  readonly port: number;
  /** The page of one trace, Jaeger's URL shape: `<url>/trace/<traceId>`. */
  traceUrl(traceId: string): string;
  close(): Promise<void>;
}

export const DEFAULT_UI_PORT = 16686;
const PORTS_TRIED = 20;
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Page routes: each serves index.html, whose script renders by the path. */
const PAGE = /^\/(?:|search|map|trace\/[^/]*)$/;

/** Content-Security-Policy: scripts, styles and fetches from this origin only; no inline script can run. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface Asset {
  type: string;
  body: Buffer;
}

/** Starts the UI server. */
export async function startWebUi(opts: WebUiOptions): Promise<WebUi> {
  const host = opts.host ?? '127.0.0.1';
  const warn = opts.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  const assets = loadAssets(opts.uiDir ?? defaultUiDir());
  const mapCache = new MapCache();
  const checkHost = LOOPBACK_NAMES.has(host);

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      warn(`waymark view: web UI: ${(err as Error).message}`);
      send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    // A page elsewhere could resolve its own name to 127.0.0.1 (DNS rebinding); the Host header tells.
    if (checkHost && !LOOPBACK_NAMES.has(hostName(req.headers.host))) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only\n');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api = answerApi(opts.store, url.pathname, url.searchParams, mapCache);
    if (api) return send(res, api.status, 'application/json; charset=utf-8', JSON.stringify(api.body));
    const asset = PAGE.test(url.pathname) ? assets.get('/index.html') : assets.get(url.pathname);
    if (!asset) {
      if (assets.size === 0) return send(res, 503, 'text/plain; charset=utf-8', 'the web UI is not built: run `npm run build`\n');
      return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
    send(res, 200, asset.type, asset.body);
  }

  server.on('clientError', (_err, socket) => socket.destroy());
  const port = await listen(server, opts.port ?? DEFAULT_UI_PORT, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    traceUrl: (traceId) => `${url}/trace/${encodeURIComponent(traceId)}`,
    close: async () => {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function hostName(header: string | undefined): string {
  if (!header) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!;
}

/** Listens on `port`, or when it is taken on the next free one of the following ports. */
async function listen(server: Server, port: number, host: string): Promise<number> {
  const last = port === 0 ? 0 : Math.min(65535, port + PORTS_TRIED - 1);
  for (let p = port; ; p++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || p >= last) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`ports ${port}-${last} on ${host} are all in use; choose one with --ui-port`);
        throw err;
      }
    }
  }
}

/** build/ui next to the compiled viewer (build/src/view → build/ui), or from the sources (src/view → build/ui). */
function defaultUiDir(): string {
  const compiled = path.resolve(__dirname, '../../ui');
  return existsSync(path.join(compiled, 'index.html')) ? compiled : path.resolve(__dirname, '../../build/ui');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page's files, read once: they are a few tens of kilobytes. */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of ['index.html', 'app.js', 'app.css', 'favicon.svg']) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const route = name === 'index.html' ? '/index.html' : `/assets/${name}`;
    assets.set(route, { type: TYPES[path.extname(name)]!, body: readFileSync(file) });
  }
  return assets;
}
