import { useEffect, useRef, useState } from 'react';

/**
 * The value, changing at most once per `ms`: the first change after a quiet
 * spell at once, later ones at the end of the spell (the newest then). For a
 * view that costs the browser more than the eye gains at 60 updates a second,
 * such as a long log list that is laid out and painted again on every update.
 *
 * @example
 * const logs = useThrottledValue(useWorkflowSelector((s) => s.logs), 100);
 * @default ms 100
 */
export function useThrottledValue<T>(value: T, ms = 100): T {
  const [shown, setShown] = useState(value);
  const shownAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const show = () => {
      shownAt.current = Date.now();
      setShown(() => value);
    };
    // At most `ms`: a clock set back must not hold the view for as long as it moved.
    const wait = Math.min(ms, shownAt.current + ms - Date.now());
    if (wait <= 0) return show();
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
