/**
 * The most recent serialized messages of one execution, bounded by count and
 * by bytes: what a reconnecting client missed, kept as the exact bytes sent.
 *
 * Messages must be pushed in `seq` order without gaps (an execution's `seq`
 * is 1, 2, 3…); the oldest are dropped first when a bound is exceeded.
 *
 * @example
 * const buffer = new ReplayBuffer(5000, 4 * 1024 * 1024);
 * buffer.push(1, Buffer.from(JSON.stringify(message)));
 * buffer.since(0); // [that buffer]
 */
export class ReplayBuffer {
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  // A queue as an array plus a head index: dropping from the front is O(1).
  #entries: { seq: number; buf: Buffer }[] = [];
  #head = 0;
  #bytes = 0;
  #lastSeq = 0;

  /**
   * @param maxMessages at most this many messages are kept.
   * @param maxBytes at most this many bytes; a single larger message is not kept at all.
   */
  constructor(maxMessages: number, maxBytes: number) {
    this.#maxMessages = maxMessages;
    this.#maxBytes = maxBytes;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Messages held. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** `seq` of the last message pushed (0 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Appends a message; returns how many bytes were released to stay in bounds
   * (including everything held before a `seq` gap), so that a caller keeping
   * a running total can subtract exactly what left.
   *
   * @example
   * total += buf.length - buffer.push(message.seq, buf);
   */
  push(seq: number, buf: Buffer): number {
    // A gap: what is held can no longer be replayed as a run.
    let released = seq !== this.#lastSeq + 1 ? this.clear() : 0;
    this.#lastSeq = seq;
    this.#entries.push({ seq, buf });
    this.#bytes += buf.length;
    while (this.size > 0 && (this.size > this.#maxMessages || this.#bytes > this.#maxBytes)) released += this.#dropOldest();
    this.#compact();
    return released;
  }

  /**
   * Drops the oldest messages until at least `bytes` were released or none
   * is left; returns the bytes released. Clients whose position falls in the
   * dropped part then get `undefined` from {@link since} (a snapshot instead).
   *
   * @example
   * total -= buffer.trimOldest(total - budget);
   */
  trimOldest(bytes: number): number {
    let released = 0;
    while (this.size > 0 && released < bytes) released += this.#dropOldest();
    this.#compact();
    return released;
  }

  /**
   * Every held message with `seq > lastSeq`, in order, if the buffer still
   * holds all of them (`[]` when there is nothing newer); `undefined` when some
   * were already dropped, or `lastSeq` is ahead of what was pushed.
   *
   * @example
   * const missed = buffer.since(clientLastSeq) ?? sendSnapshotInstead();
   */
  since(lastSeq: number): Buffer[] | undefined {
    if (!Number.isSafeInteger(lastSeq) || lastSeq < 0 || lastSeq > this.#lastSeq) return undefined;
    if (lastSeq === this.#lastSeq) return [];
    const first = this.#entries[this.#head];
    if (!first || first.seq > lastSeq + 1) return undefined;
    const from = this.#head + (lastSeq + 1 - first.seq);
    return this.#entries.slice(from).map((e) => e.buf);
  }

  /**
   * Drops every message; returns the bytes released. `lastSeq` is kept.
   *
   * @example
   * total -= buffer.clear();
   */
  clear(): number {
    const released = this.#bytes;
    this.#entries = [];
    this.#head = 0;
    this.#bytes = 0;
    return released;
  }

  #dropOldest(): number {
    const dropped = this.#entries[this.#head++]!;
    this.#bytes -= dropped.buf.length;
    return dropped.buf.length;
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }
}
