/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it
 * aborts, clearing its timer so an aborted run leaves nothing pending.
 *
 * @example
 * await sleep(300, ctx.signal);
 * @default ms is clamped to at least 0
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The signal's reason as an Error, since executors should reject with Errors.
 *
 * @example
 * if (signal.aborted) throw abortReason(signal);
 */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(r === undefined ? 'aborted' : String(r));
}
