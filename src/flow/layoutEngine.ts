// Loads dagre's module on first need and keeps it: after that, every layout is synchronous.
/** The layout engine: dagre, and what flowpulse does with it. */
export type LayoutEngine = typeof import('./dagreLayout');

/** Where the layout engine is: loaded, failed (with why), or neither yet. */
export interface LayoutEngineState {
  engine: LayoutEngine | null;
  error: Error | null;
}

let state: LayoutEngineState = { engine: null, error: null };
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

const publish = (next: LayoutEngineState) => {
  state = next;
  for (const listener of listeners) listener();
};

/** The engine's state now, for `useSyncExternalStore`: a new object on each change. */
export const layoutEngineState = (): LayoutEngineState => state;

const NOT_LOADED: LayoutEngineState = { engine: null, error: null };
/** What a server renders with, and so what hydration must render with, whatever this page has loaded since. */
export const serverLayoutEngineState = (): LayoutEngineState => NOT_LOADED;

/** Calls `listener` when the engine loads or fails to; returns the unsubscribe. */
export function subscribeLayoutEngine(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * Loads the layout engine (dagre, about 17 KB min+gzip), which a canvas needs
 * for nodes that have no position. The canvas loads it by itself, on first
 * need, and shows those nodes once it is there; a canvas whose nodes all have
 * positions never loads it. Call this early (at app start, beside the route's
 * own data) so that the first canvas lays its graph out on its first render.
 * Resolves once the engine is loaded; a failed load rejects, and the next call
 * tries again (a canvas shows a Try again button for that).
 *
 * @example
 * import { preloadLayout } from 'flowpulse/flow';
 * void preloadLayout(); // beside the fetch of the workflow's graph
 */
export function preloadLayout(): Promise<void> {
  if (state.engine) return Promise.resolve();
  if (!loading) {
    if (state.error) publish({ engine: null, error: null });
    loading = import('./dagreLayout').then(
      (engine) => {
        loading = null;
        publish({ engine, error: null });
      },
      (cause: unknown) => {
        loading = null;
        const error = cause instanceof Error ? cause : new Error(String(cause));
        publish({ engine: null, error });
        throw error;
      },
    );
  }
  return loading;
}
