import { checkCount } from './check-count';
import { HttpError } from './http-json';
import { LIVE_RETRY_AFTER_SECONDS } from './live-limits';

/**
 * Byte limits of live executions, as server options name them.
 *
 * @example
 * const limits: LiveMemoryOptions = { maxLiveBytes: 1024 * 1024 * 1024 };
 */
export interface LiveMemoryOptions {
  /** All live runs together. */
  maxLiveBytes?: number | undefined;
  /** One live run. */
  maxLiveBytesPerExecution?: number | undefined;
}

/** The default of `maxLiveBytes`: 512 MiB, beside 256 MiB of finished records and 64 MiB each of replay, bodies and definitions. */
const DEFAULT_MAX_LIVE_BYTES = 512 * 1024 * 1024;

/**
 * A run's share when `maxLiveBytesPerExecution` is not given, as a fraction of
 * `maxLiveBytes`: so one run cannot take the room of every other, as a
 * finished record is counted as at most an eighth of its budget.
 */
const DEFAULT_SHARE = 1 / 8;

/**
 * What one live run holds, charged against {@link LiveMemory}. Released once,
 * when the run ends; charges after that are ignored.
 *
 * @example
 * const account = memory.admit(jsonMemoryCost(JSON.stringify(inputs)));
 * account.charge(resultBytes); // throws when the run or the server cannot hold it
 * if (!account.tryCharge(lineBytes)) dropOldestLine(); // a log line: never throws
 * account.free(oldLineBytes);
 * account.release();
 */
export interface LiveMemoryAccount {
  /** Bytes charged so far (less those given back with `free`). */
  readonly bytes: number;
  /**
   * Adds `bytes` (a node result about to be kept). Throws an Error saying why
   * when that would take the run past `perExecution` or all runs past `max`;
   * nothing is charged then.
   */
  charge(bytes: number): void;
  /**
   * Adds `bytes` when the run and all runs can hold them, and says whether it
   * did; never throws. For what the run can do without (a log line).
   */
  tryCharge(bytes: number): boolean;
  /** Gives back `bytes` charged earlier (a kept log line dropped); at most what the account holds. */
  free(bytes: number): void;
  /** Gives every byte back (the run ended). Idempotent. */
  release(): void;
}

/**
 * The memory live (running or paused) executions hold, by the estimate of
 * `jsonMemoryCost`: their initial inputs, charged when a run is admitted,
 * the results their nodes return, charged as each completes (the record
 * keeps every result in full until the run ends, large ones too: they only
 * leave the stream, for `result_ref`), and the log lines the record keeps
 * (some 8 MiB a run at 500 lines of 16,384 characters, 800 MiB for 100 runs).
 * The count caps alone let 100 runs of large bodies and results hold gigabytes.
 *
 * A log line never fails its run: one that does not fit drops the run's
 * oldest kept lines (which give their bytes back) until it does, or is
 * dropped itself when the run keeps none and still cannot hold it; both are
 * counted in `droppedLogs`. The record's own fields are not charged, nor its
 * `error` messages: a run stops at its first, so it keeps at most one, a node
 * error clipped to `maxLogChars` (as in `nodes` and `errors` beside it) or the
 * server's cancel reason; `maxLiveExecutions` bounds the runs.
 *
 * @example
 * const memory = new LiveMemory({ maxLiveBytes: 256 * 1024 * 1024 });
 * const account = memory.admit(inputBytes); // a 413 or 503 HttpError when it does not fit
 * @default max 512 MiB, perExecution an eighth of max
 */
export class LiveMemory {
  /** Bytes all live runs may hold together (`Infinity`: no limit). */
  readonly max: number;
  /** Bytes one live run may hold. */
  readonly perExecution: number;
  #used = 0;

  /** Throws a RangeError for a limit that is not an integer ≥ 1 (or `Infinity`), or a share above the whole. */
  constructor(options: LiveMemoryOptions = {}) {
    this.max = checkBytes('maxLiveBytes', options.maxLiveBytes ?? DEFAULT_MAX_LIVE_BYTES);
    this.perExecution = checkBytes(
      'maxLiveBytesPerExecution',
      options.maxLiveBytesPerExecution ?? Math.max(1, Math.floor(this.max * DEFAULT_SHARE)),
    );
    if (this.perExecution > this.max) {
      throw new RangeError(
        `maxLiveBytesPerExecution (${this.perExecution}) must be at most maxLiveBytes (${this.max}): ` +
          'a run that fits its own share but not the whole would be refused on every attempt',
      );
    }
  }

  /** Bytes live runs hold now. */
  get used(): number {
    return this.#used;
  }

  /** Whether anything is limited; when not, nothing needs measuring. */
  get limited(): boolean {
    return this.max !== Infinity || this.perExecution !== Infinity;
  }

  /**
   * Admits a run that starts out holding `bytes` (its initial inputs) and
   * returns its account. Throws an `HttpError`: 413 when even the run's own
   * share cannot hold it (retrying cannot help), 503 with `Retry-After: 5`
   * when the live runs hold too much to take it now (it can once some end);
   * body `{ error, limit, needed, scope: 'execution' | 'server' }`.
   *
   * Must be called in the same synchronous step that starts the run, so
   * concurrent requests cannot both take the last bytes.
   *
   * @example
   * const account = memory.admit(jsonMemoryCost(JSON.stringify(inputs)));
   */
  admit(bytes: number): LiveMemoryAccount {
    if (bytes > this.perExecution) {
      throw new HttpError(
        413,
        `initial_inputs would hold about ${bytes} bytes in memory; one execution may hold ${this.perExecution} (maxLiveBytesPerExecution)`,
        { limit: this.perExecution, needed: bytes, scope: 'execution' },
      );
    }
    if (this.#used + bytes > this.max) {
      throw new HttpError(
        503,
        `live executions hold too much memory to start another (maxLiveBytes ${this.max}); try again when some have ended`,
        { limit: this.max, needed: bytes, scope: 'server' },
        { 'Retry-After': LIVE_RETRY_AFTER_SECONDS },
      );
    }
    this.#used += bytes;
    return this.#account(bytes);
  }

  #account(initial: number): LiveMemoryAccount {
    let bytes = initial;
    let released = false;
    const memory = this;
    return {
      get bytes() {
        return bytes;
      },
      charge(more) {
        if (released) return;
        if (bytes + more > memory.perExecution) {
          throw new Error(
            `result needs about ${more} bytes of memory, more than this execution may still hold ` +
              `(${memory.perExecution - bytes} of ${memory.perExecution} left, maxLiveBytesPerExecution)`,
          );
        }
        if (memory.#used + more > memory.max) {
          throw new Error(
            `result needs about ${more} bytes of memory, more than live executions may still hold ` +
              `(maxLiveBytes ${memory.max}); runs that end give their memory back`,
          );
        }
        bytes += more;
        memory.#used += more;
      },
      tryCharge(more) {
        if (released) return true; // as `charge`: nothing is held for a run that ended
        if (bytes + more > memory.perExecution || memory.#used + more > memory.max) return false;
        bytes += more;
        memory.#used += more;
        return true;
      },
      free(less) {
        if (released || !(less > 0)) return;
        // Never more than is held: a mistaken count must not hand out other runs' room.
        const given = Math.min(less, bytes);
        bytes -= given;
        memory.#used -= given;
      },
      release() {
        if (released) return;
        released = true;
        memory.#used -= bytes;
      },
    };
  }
}

const checkBytes = (name: string, value: number) => checkCount(name, value, 1, { infinite: true });
