import { useCallback, useEffect, useRef } from 'react';
import { useReactFlow, useStore, type FitViewOptions, type OnMove, type ReactFlowState } from '@xyflow/react';

const paneSize = (s: ReactFlowState) => `${s.width}x${s.height}`;

/** What {@link useAutoFit} gives the canvas. */
export interface AutoFit {
  /** For `<ReactFlow onMoveStart>`: a pan or zoom by the user ends the automatic fitting. */
  onMoveStart: OnMove;
  /** Ends the automatic fitting, as a deliberate viewport change (centring on a node) should. */
  stop: () => void;
}

/**
 * Keeps the whole graph in view while the canvas changes size (panels appear:
 * metrics, notices, a longer log) or the graph changes, until the user pans or
 * zooms; a new graph starts it again. React Flow's `fitView` prop fits once,
 * at mount, so a panel appearing mid-run would otherwise cut nodes off.
 * Needs React Flow's context.
 *
 * @example
 * const autoFit = useAutoFit(nodeIdsKey, true);
 * <ReactFlow onMoveStart={autoFit.onMoveStart} fitView />
 */
export function useAutoFit(graphKey: string, enabled: boolean, options?: FitViewOptions): AutoFit {
  const { fitView } = useReactFlow();
  const size = useStore(paneSize);
  const userMoved = useRef(false);
  const fitOptions = useRef(options);
  fitOptions.current = options;

  useEffect(() => {
    userMoved.current = false;
  }, [graphKey]);

  useEffect(() => {
    if (!enabled || userMoved.current) return;
    // After React Flow has applied the new size to its own store.
    const frame = requestAnimationFrame(() => void fitView(fitOptions.current));
    return () => cancelAnimationFrame(frame);
  }, [size, graphKey, enabled, fitView]);

  const stop = useCallback(() => {
    userMoved.current = true;
  }, []);
  // Moves we make ourselves (fitting, centring) come without an input event.
  const onMoveStart = useCallback<OnMove>((event) => {
    if (event) userMoved.current = true;
  }, []);
  return { onMoveStart, stop };
}
