import type { IncomingMessage } from 'node:http';
import { connect as tcp } from 'node:net';
import WebSocket from 'ws';

/** A real ws client that records every text frame and can wait for one. */
export interface TestClient {
  ws: WebSocket;
  texts: string[];
  messages: any[];
  /** The handshake response (status 101 and its headers). */
  response: IncomingMessage | undefined;
  /** Bytes read from the TCP socket so far, handshake included. */
  bytesRead(): number;
  /** Resolves with the first recorded message (past or future) matching `pred`. */
  waitFor(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

/** Options of {@link openClient}. */
export interface OpenClientOptions {
  protocols?: string[];
  headers?: Record<string, string>;
  /** Offer permessage-deflate (ws's default). @default true */
  perMessageDeflate?: boolean;
  /**
   * Called with every text frame from the very first: the catch-up can
   * arrive with the handshake, before an `await openClient()` resumes.
   */
  onMessage?: (text: string) => void;
}

export function openClient(url: string, options: OpenClientOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], {
      ...(options.headers ? { headers: options.headers } : {}),
      perMessageDeflate: options.perMessageDeflate ?? true,
    });
    const texts: string[] = [];
    const messages: any[] = [];
    const waiters = new Set<() => void>();
    let response: IncomingMessage | undefined;
    let bytes = 0;
    ws.once('upgrade', (res) => {
      response = res;
      const socket = res.socket;
      // Kept after close, when the socket is gone.
      socket.once('close', () => (bytes = socket.bytesRead));
    });
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary) texts.push(text);
      messages.push(JSON.parse(text));
      options.onMessage?.(text);
      for (const w of [...waiters]) w();
    });
    const client: TestClient = {
      ws,
      texts,
      messages,
      get response() {
        return response;
      },
      bytesRead() {
        return response && !response.socket.destroyed ? response.socket.bytesRead : bytes;
      },
      waitFor(pred, timeoutMs = 5000) {
        return new Promise((res, rej) => {
          const check = () => {
            const found = messages.find(pred);
            if (found === undefined) return false;
            waiters.delete(check);
            clearTimeout(timer);
            res(found);
            return true;
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            rej(new Error(`timed out waiting; got ${messages.map((m) => m.type).join(', ')}`));
          }, timeoutMs);
          if (!check()) waiters.add(check);
        });
      },
      close() {
        return new Promise((res) => {
          if (ws.readyState === WebSocket.CLOSED) return res();
          ws.once('close', () => res());
          ws.close();
        });
      },
    };
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** Waits until `predicate` holds, polling. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Sends a raw WebSocket upgrade request and returns everything the server
 * wrote until it closed the connection (or 2 s passed).
 */
export function rawUpgrade(port: number, path: string, headers: Record<string, string> = {}): Promise<string> {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = tcp(port, '127.0.0.1', () => socket.write(lines.join('\r\n') + '\r\n\r\n'));
    let data = '';
    socket.on('data', (d) => {
      data += d.toString('latin1');
      // An accepted upgrade stays open: its headers are all we want.
      if (data.startsWith('HTTP/1.1 101') && data.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(data);
    });
  });
}

/**
 * Opens a socket the server refuses after the handshake, as it refuses
 * browsers and flowpulse clients (they cannot read an HTTP status, only a
 * close code). Resolves with the code, the reason and every message that
 * arrived first; rejects if the handshake itself is refused.
 */
export function closedWith(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> } = {},
): Promise<{ code: number; reason: string; messages: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    const messages: string[] = [];
    ws.on('message', (m) => messages.push(String(m)));
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason), messages }));
    ws.on('error', reject);
  });
}
