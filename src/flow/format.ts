import { catalogOf, DEFAULT_MESSAGES, type CanvasMessages } from './canvasMessages';

/**
 * A duration as people read it: `850 ms`, `1.2 s`, `42 s`, `2 min 5 s`.
 * Rounded first, then the unit is picked, so a value never shows as the next
 * unit's boundary (`1 min 0 s`, not `60 s`; `10 s`, not `10.0 s`). In the
 * words of `messages` (its `duration`), English by default.
 *
 * @example
 * formatDuration(1234); // '1.2 s'
 * formatDuration(1234, { ...DEFAULT_MESSAGES, duration: (ms) => `${(ms / 1000).toFixed(1)} 秒` }); // '1.2 秒'
 */
export function formatDuration(ms: number, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  return messages.duration(ms);
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
 * Any node result as readable text; never throws (cycles, BigInt). No result
 * is `messages.resultNone` (`none`).
 *
 * @example
 * formatValue({ rows: 3 }); // '{\n  "rows": 3\n}'
 */
export function formatValue(value: unknown, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  if (value === undefined || value === null) return messages.resultNone;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
