import { ReplayBuffer } from './replay-buffer';

/**
 * Options of {@link ReplayStore}.
 *
 * @example
 * new ReplayStore({ maxMessages: 2000, maxBytes: 1024 * 1024, retainAfterEndMs: 60_000 });
 */
export interface ReplayStoreOptions {
  /** Messages kept per execution. @default 5000 */
  maxMessages?: number | undefined;
  /** Bytes kept per execution. @default 4_194_304 (4 MiB) */
  maxBytes?: number | undefined;
  /**
   * Bytes kept over all executions, live ones included. Past it, buffers of
   * finished executions are released, oldest first; if that is not enough,
   * the oldest live buffers lose their oldest messages (clients that missed
   * those get a snapshot on reconnect instead of a replay: correct, just
   * larger). @default 67_108_864 (64 MiB)
   */
  maxTotalBytes?: number | undefined;
  /** A finished execution's buffer is released this long after its `workflow_complete`. @default 300_000 (5 minutes) */
  retainAfterEndMs?: number | undefined;
}

interface Entry {
  buffer: ReplayBuffer;
  ended: boolean;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Replay buffers by execution id: every message an engine sends is appended
 * here (as the bytes that went out), so a client that reconnects with its
 * last `seq` can be sent exactly what it missed. Bounded per execution (count
 * and bytes) and in total over live and finished runs alike; a buffer is
 * released some minutes after its run ends (the execution record, and so the
 * snapshot, lives on in the registry).
 *
 * @example
 * const replay = new ReplayStore();
 * replay.append('e1', 1, buf);
 * replay.since('e1', 0); // [buf]
 * @default maxMessages 5000, maxBytes 4 MiB, maxTotalBytes 64 MiB, retainAfterEndMs 5 minutes
 */
export class ReplayStore {
  // Insertion order is start order, which is the eviction order.
  readonly #entries = new Map<string, Entry>();
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  readonly #maxTotalBytes: number;
  readonly #retainMs: number;
  #totalBytes = 0;

  constructor(options: ReplayStoreOptions = {}) {
    this.#maxMessages = options.maxMessages ?? 5000;
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.#maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;
    this.#retainMs = options.retainAfterEndMs ?? 5 * 60_000;
  }

  /**
   * Appends one serialized message of an execution.
   *
   * @example
   * replay.append(message.data.execution_id, message.seq, Buffer.from(JSON.stringify(message)));
   */
  append(executionId: string, seq: number, buf: Buffer): void {
    let entry = this.#entries.get(executionId);
    if (!entry) this.#entries.set(executionId, (entry = { buffer: new ReplayBuffer(this.#maxMessages, this.#maxBytes), ended: false }));
    if (entry.ended) return; // nothing follows workflow_complete
    this.#totalBytes += buf.length - entry.buffer.push(seq, buf);
    if (this.#totalBytes > this.#maxTotalBytes) this.#shrink();
  }

  /**
   * Notes that an execution sent its last message; its buffer is released
   * `retainAfterEndMs` later.
   *
   * @example
   * if (message.type === 'workflow_complete') replay.end(message.data.execution_id);
   */
  end(executionId: string): void {
    const entry = this.#entries.get(executionId);
    if (!entry || entry.ended) return;
    entry.ended = true;
    entry.timer = setTimeout(() => this.release(executionId), this.#retainMs);
    // Releasing memory later must not keep the process alive.
    entry.timer.unref();
  }

  /**
   * The messages of an execution after `lastSeq`, if all are still held;
   * `undefined` otherwise (unknown, released, or some already dropped).
   *
   * @example
   * const frames = replay.since(executionId, lastSeq);
   */
  since(executionId: string, lastSeq: number): Buffer[] | undefined {
    return this.#entries.get(executionId)?.buffer.since(lastSeq);
  }

  /**
   * Releases an execution's buffer now. Returns whether there was one.
   *
   * @example
   * replay.release(executionId);
   */
  release(executionId: string): boolean {
    const entry = this.#entries.get(executionId);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.#totalBytes -= entry.buffer.bytes;
    this.#entries.delete(executionId);
    return true;
  }

  /**
   * What is held, for monitoring.
   *
   * @example
   * replay.stats(); // { executions: 2, bytes: 18_230 }
   */
  stats(): { executions: number; bytes: number } {
    return { executions: this.#entries.size, bytes: this.#totalBytes };
  }

  /**
   * Releases everything and clears the timers.
   *
   * @example
   * replay.close();
   */
  close(): void {
    for (const id of [...this.#entries.keys()]) this.release(id);
  }

  /** Brings the total back within budget: finished buffers go first, then the oldest live messages. */
  #shrink(): void {
    // Finished runs first: their late clients lose nothing but a cheaper catch-up.
    for (const [id, entry] of this.#entries) {
      if (this.#totalBytes <= this.#maxTotalBytes) return;
      if (entry.ended) this.release(id);
    }
    // Then live ones, oldest first: without this, many live runs could each hold `maxBytes`.
    for (const entry of this.#entries.values()) {
      if (this.#totalBytes <= this.#maxTotalBytes) return;
      this.#totalBytes -= entry.buffer.trimOldest(this.#totalBytes - this.#maxTotalBytes);
    }
  }
}
