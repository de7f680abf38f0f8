import { EventEmitter } from 'node:events';
import type { ManagedSocket } from 'flowpulse/server';

/** A stand-in for a ws WebSocket whose backlog and liveness a test controls. */
export class FakeSocket extends EventEmitter implements ManagedSocket {
  readyState = 1;
  bufferedAmount = 0;
  sent: { data: Buffer; options: { binary: boolean } }[] = [];
  closes: { code: number | undefined; reason: string | undefined }[] = [];
  terminated = false;
  pings = 0;
  /** When false, close() only records the call, like a socket whose close frame is stuck behind its backlog. */
  closeCompletes = true;

  send(data: Buffer, options: { binary: boolean }, cb?: (err?: Error) => void): void {
    this.sent.push({ data, options });
    cb?.();
  }
  close(code?: number, reason?: string): void {
    this.closes.push({ code, reason });
    if (this.closeCompletes) this.#closed();
    else this.readyState = 2;
  }
  terminate(): void {
    this.terminated = true;
    this.#closed();
  }
  ping(): void {
    this.pings++;
  }
  /** Texts of what was sent. */
  texts(): string[] {
    return this.sent.map((s) => s.data.toString('utf8'));
  }
  #closed() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', 1000, Buffer.alloc(0));
  }
}
