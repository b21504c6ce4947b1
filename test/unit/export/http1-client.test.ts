import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Client } from '../../../src/export/http1-client';

/** A raw TCP server: `onRequest` gets each whole request (head and body) and the socket. */
interface RawServer {
  url: URL;
  connections: Socket[];
  close(): Promise<void>;
}

async function rawServer(onRequest: (request: { head: string; body: Buffer }, socket: Socket, index: number) => void): Promise<RawServer> {
  const connections: Socket[] = [];
  let index = 0;
  const server: Server = createServer((socket) => {
    connections.push(socket);
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        const body = pending.subarray(end + 4, end + 4 + length);
        pending = pending.subarray(end + 4 + length);
        onRequest({ head, body }, socket, index++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: new URL(`http://127.0.0.1:${port}/v1/traces?x=1`),
    connections,
    close: () => {
      for (const c of connections) c.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(onRequest: Parameters<typeof rawServer>[0]): Promise<{ server: RawServer; client: Http1Client }> {
  const server = await rawServer(onRequest);
  const client = new Http1Client({ url: server.url, headers: { 'Content-Type': 'application/x-protobuf', 'x-api-key': 'k' } });
  cleanups.push(() => client.close(), () => server.close());
  return { server, client };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';

describe('Http1Client', () => {
  it('writes one well-formed request: path and query, Host, its headers, Content-Length, the body intact', async () => {
    const seen: { head: string; body: Buffer }[] = [];
    const { server, client } = await setup((request, socket) => {
      seen.push(request);
      socket.write(OK);
    });
    const body = Buffer.alloc(300_000, 7);
    body[0] = 1;
    body[body.length - 1] = 2;
    const response = await client.post(body, 2000, 1024);
    expect(response).toMatchObject({ status: 200, reusable: true });
    const lines = seen[0]!.head.split('\r\n');
    expect(lines[0]).toBe('POST /v1/traces?x=1 HTTP/1.1');
    expect(lines).toContain(`Host: ${server.url.host}`);
    expect(lines).toContain('x-api-key: k');
    expect(lines).toContain('Content-Type: application/x-protobuf');
    expect(lines).toContain('Content-Length: 300000');
    expect(seen[0]!.body.equals(body)).toBe(true);
  });

  it('reads a chunked answer that arrives in pieces', async () => {
    const { client } = await setup((_request, socket) => {
      socket.write('HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbad \r');
      setTimeout(() => socket.write('\n7\r\npayload\r\n0\r\n\r\n'), 20);
    });
    const response = await client.post(Buffer.from('x'), 2000, 1024);
    expect(response.status).toBe(400);
    expect(response.body.toString()).toBe('bad payload');
  });

  it('reuses its connection, and opens a new one when the server closed the idle one', async () => {
    const { server, client } = await setup((_request, socket, i) => {
      socket.write(OK);
      if (i === 1) setTimeout(() => socket.end(), 10);
    });
    await client.post(Buffer.from('a'), 2000, 1024);
    await client.post(Buffer.from('b'), 2000, 1024);
    expect(server.connections).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await client.post(Buffer.from('c'), 2000, 1024)).status).toBe(200);
    expect(server.connections).toHaveLength(2);
  });

  it('rejects with ECONNRESET when the connection ends before the whole response', async () => {
    const { client } = await setup((_request, socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    });
    await expect(client.post(Buffer.from('x'), 2000, 1024)).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  });

  it('rejects with ETIMEDOUT and closes the connection when no answer comes in time', async () => {
    const { server, client } = await setup(() => {});
    const started = Date.now();
    await expect(client.post(Buffer.from('x'), 300, 1024)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.connections[0]!.destroyed || server.connections[0]!.readableEnded).toBe(true);
  });

  it('rejects what is in flight when closed, and every later post', async () => {
    const { client } = await setup(() => {});
    const pending = client.post(Buffer.from('x'), 5000, 1024);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'ECONNABORTED' });
    await expect(client.post(Buffer.from('y'), 5000, 1024)).rejects.toMatchObject({ code: 'ECONNABORTED' });
  });

  it('closes a connection whose server sends more than the response', async () => {
    const { server, client } = await setup((_request, socket) => {
      socket.write(OK + 'HTTP/1.1 200 OK\r\n');
    });
    await client.post(Buffer.from('a'), 2000, 1024);
    await client.post(Buffer.from('b'), 2000, 1024);
    expect(server.connections).toHaveLength(2);
  });
});
