import { useCallback, useEffect, useLayoutEffect, useState } from 'react';

/**
 * Whether an element's content is taller than its box, so that it scrolls:
 * measured after every render (new content) and whenever the box is resized
 * (a narrower window wraps more lines). A scroll box with nothing focusable
 * inside must take focus itself, or keyboard users cannot scroll it (WCAG
 * 2.1.1); this says when it has to. Pass the element (a callback ref's state):
 * one that mounts later is then observed too.
 *
 * @example
 * const [list, setList] = useState<HTMLUListElement | null>(null);
 * const scrolls = useOverflows(list);
 * <ul ref={setList} tabIndex={scrolls ? 0 : undefined}>…</ul>
 */
export function useOverflows(element: HTMLElement | null): boolean {
  const [overflows, setOverflows] = useState(false);
  // A pixel of slack: zoomed pages round heights, and a box that fits must not turn into a Tab stop.
  const measure = useCallback(() => setOverflows(element !== null && element.scrollHeight > element.clientHeight + 1), [element]);
  useLayoutEffect(measure);
  useEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, measure]);
  return overflows;
}
