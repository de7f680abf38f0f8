import { useSyncExternalStore } from 'react';
import type { StoreApi } from 'zustand/vanilla';

/**
 * A slice of a vanilla store, re-rendering only when the slice changes (by `Object.is`).
 * The selector must return existing references (as the reducer keeps them), not new objects.
 *
 * @example
 * const progress = useStoreSlice(client.store, (s) => s.progress);
 */
export function useStoreSlice<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  const get = () => selector(store.getState());
  return useSyncExternalStore(store.subscribe, get, get);
}
