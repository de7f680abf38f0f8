/**
 * A duration as people read it: `850 ms`, `1.2 s`, `2 min 5 s`.
 *
 * @example
 * formatDuration(1234); // '1.2 s'
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * Epoch ms as a local wall-clock time with milliseconds, `10:30:00.123`:
 * log lines are close together, so the date adds nothing.
 *
 * @example
 * formatClock(Date.now()); // '10:30:00.123'
 */
export function formatClock(time: number): string {
  const d = new Date(time);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Any node result as readable text; never throws (cycles, BigInt).
 *
 * @example
 * formatValue({ rows: 3 }); // '{\n  "rows": 3\n}'
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
