// @vitest-environment node
/**
 * A client that leaves while the server awaits something before reading its body (an async
 * authenticate): reading it must still settle, or the handler holds the request for good.
 * Seen from outside a flowpulse server that leak is silent, so this drives readJsonBody from a
 * plain Node server, as a route does.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { connect as tcp } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from '../../src/server/http-json';

/** How reading the body ends when it starts 300 ms after the request arrived; the client sends `head` and leaves after 100 ms. */
async function readAfterClientLeft(head: string): Promise<string> {
  let settle!: (outcome: string) => void;
  const outcome = new Promise<string>((resolve) => (settle = resolve));
  const server = createServer(async (req: IncomingMessage) => {
    await new Promise((r) => setTimeout(r, 300)); // authenticate
    readJsonBody(req, 1e6, 1e5, { max: 1e6, used: 0 }).then(
      () => settle('resolved'),
      (e: { status: number; message: string }) => settle(`rejected ${e.status} ${e.message}`),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const s = tcp(port, '127.0.0.1', () => {
    s.write(head);
    setTimeout(() => s.destroy(), 100);
  });
  s.on('error', () => {});
  const result = await Promise.race([outcome, new Promise<string>((r) => setTimeout(() => r('pending'), 1500))]);
  server.close();
  return result;
}

describe('reading a body after the client left', () => {
  it('rejects with 400 when the body was cut short', async () => {
    expect(await readAfterClientLeft('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"a":')).toBe(
      'rejected 400 the request body was not received in full',
    );
  });

  it('rejects with 400 when the body had arrived in full but nobody read it before the client left', async () => {
    expect(await readAfterClientLeft('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 8\r\n\r\n{"a":1}\n')).toBe(
      'rejected 400 the request body was not received in full',
    );
  });
});
