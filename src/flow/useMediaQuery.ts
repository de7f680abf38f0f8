import { useCallback, useSyncExternalStore } from 'react';

// One MediaQueryList per query, shared by every caller (500 edges ask the same
// question); rebuilt when `window.matchMedia` itself is replaced, as tests do.
const lists = new Map<string, { source: typeof window.matchMedia; list: MediaQueryList }>();

function mediaList(query: string): MediaQueryList | null {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return null;
  const cached = lists.get(query);
  if (cached && cached.source === window.matchMedia) return cached.list;
  const list = window.matchMedia(query);
  lists.set(query, { source: window.matchMedia, list });
  return list;
}

/**
 * Whether a CSS media query matches, kept current. `false` where there is no
 * `matchMedia` (server rendering, old test environments).
 *
 * @example
 * const narrow = useMediaQuery('(max-width: 600px)');
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = mediaList(query);
      if (!list) return () => {};
      if (typeof list.addEventListener === 'function') {
        list.addEventListener('change', onChange);
        return () => list.removeEventListener('change', onChange);
      }
      // Safari before 14 only has the deprecated listener API.
      list.addListener?.(onChange);
      return () => list.removeListener?.(onChange);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => mediaList(query)?.matches ?? false,
    () => false,
  );
}
