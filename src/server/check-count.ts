/**
 * `value`, the option `name`, if it is an integer ≥ `min` (or, with
 * `infinite`, Infinity: no bound); else a RangeError naming it, thrown when the
 * server or engine is created rather than found out request by request.
 *
 * @example
 * checkCount('maxConcurrency', 4); // 4
 * checkCount('maxLiveBytes', Infinity, 1, { infinite: true }); // Infinity
 */
export function checkCount(name: string, value: number, min = 1, { infinite = false } = {}): number {
  if ((infinite && value === Infinity) || (Number.isInteger(value) && value >= min)) return value;
  throw new RangeError(`${name} must be an integer ≥ ${min}${infinite ? ' (or Infinity)' : ''}, got ${value}`);
}
