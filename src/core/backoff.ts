/** Reconnect policy: exponential backoff with full jitter. */
export interface ReconnectPolicy {
  /** @default 500 */
  initialDelayMs: number;
  /** @default 2 */
  multiplier: number;
  /** @default 30000 */
  maxDelayMs: number;
  /** Give up after this many attempts in a row. @default Infinity */
  maxAttempts: number;
  /** An open that lasts this long resets the attempt count. @default 5000 */
  stableAfterMs: number;
  /** Source of jitter, in [0, 1). @default Math.random */
  random: () => number;
}

/**
 * The defaults of {@link ReconnectPolicy}.
 *
 * @example
 * useWorkflowWebSocket('123', { reconnect: { ...DEFAULT_RECONNECT, maxAttempts: 10 } });
 */
export const DEFAULT_RECONNECT: ReconnectPolicy = {
  initialDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 30_000,
  maxAttempts: Infinity,
  stableAfterMs: 5_000,
  random: Math.random,
};

/**
 * The wait before reconnect attempt `attempt` (1-based): a uniformly random
 * time up to the capped exponential bound ("full jitter"), so a server
 * restart is not met by every client at the same instant.
 *
 * @example
 * backoffDelay(3, DEFAULT_RECONNECT); // somewhere in [0, 2000)
 */
export function backoffDelay(attempt: number, policy: ReconnectPolicy): number {
  const bound = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * bound);
}
