import WebSocket from 'ws';

/** A real ws client that records every text frame and can wait for one. */
export interface TestClient {
  ws: WebSocket;
  texts: string[];
  messages: any[];
  /** Resolves with the first recorded message (past or future) matching `pred`. */
  waitFor(pred: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): Promise<void>;
}

export function openClient(url: string): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const texts: string[] = [];
    const messages: any[] = [];
    const waiters = new Set<() => void>();
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary) texts.push(text);
      messages.push(JSON.parse(text));
      for (const w of [...waiters]) w();
    });
    const client: TestClient = {
      ws,
      texts,
      messages,
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
