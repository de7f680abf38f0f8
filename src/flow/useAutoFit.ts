import { useEffect, useRef } from 'react';
import { useReactFlow, useStore, type FitViewOptions, type ReactFlowState, type Viewport } from '@xyflow/react';

const paneSize = (s: ReactFlowState) => (s.width > 0 && s.height > 0 ? `${s.width}x${s.height}` : null);
const same = (a: Viewport, b: Viewport) => Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01 && Math.abs(a.zoom - b.zoom) < 1e-6;

/**
 * Keeps the whole graph in view while the canvas changes size (panels appear:
 * metrics, notices, a longer log) or the graph changes, as long as the view
 * is still the one it fitted: once the viewport moved by any means (a drag, a
 * wheel, the zoom buttons, the minimap, centring on a node) it is left alone,
 * until a new graph. React Flow's `fitView` prop fits once, at mount, so a
 * panel appearing mid-run would otherwise cut nodes off. Needs React Flow's context.
 *
 * @example
 * useAutoFit(nodeIdsKey, true);
 */
export function useAutoFit(graphKey: string, enabled: boolean, options?: FitViewOptions): void {
  const { fitView, getViewport } = useReactFlow();
  const size = useStore(paneSize);
  // The viewport our last fit produced; `null` until the first fit of this graph.
  const fitted = useRef<Viewport | null>(null);
  const fitOptions = useRef(options);
  fitOptions.current = options;

  useEffect(() => {
    fitted.current = null;
  }, [graphKey]);

  useEffect(() => {
    if (!enabled || size === null) return;
    if (fitted.current && !same(fitted.current, getViewport())) return;
    // After React Flow has applied the new size to its own store.
    let live = true;
    const frame = requestAnimationFrame(() => {
      void fitView(fitOptions.current).then((done) => {
        if (live && done) fitted.current = getViewport();
      });
    });
    return () => {
      live = false;
      cancelAnimationFrame(frame);
    };
  }, [size, graphKey, enabled, fitView, getViewport]);
}
