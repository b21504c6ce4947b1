import { connect } from 'node:net';

/**
 * Publishes `body` on `subject` over a bare socket speaking the NATS protocol: a message
 * from an uninstrumented producer (no headers at all). Resolves once the server answered
 * the PING that follows, so the message was routed.
 */
export function rawPublish(subject: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(4222, '127.0.0.1');
    let seen = '';
    socket.on('error', reject);
    socket.on('data', (d) => {
      seen += d.toString();
      if (seen.includes('PONG')) {
        socket.end();
        resolve();
      }
    });
    socket.write(`CONNECT {"verbose":false,"pedantic":false}\r\nPUB ${subject} ${Buffer.byteLength(body)}\r\n${body}\r\nPING\r\n`);
  });
}
