import { useCallback, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import { usePrefersReducedMotion } from './usePrefersReducedMotion';

/**
 * A function that brings a node into view: centres the viewport on it,
 * selects it (and only it) and moves keyboard focus to it. Needs React Flow's
 * context (inside `<ReactFlowProvider>` or `<ReactFlow>`).
 *
 * @example
 * const focusNode = useFocusNode(containerRef);
 * <button onClick={() => focusNode('fetch')}>Show Fetch</button>
 */
export function useFocusNode(container: RefObject<HTMLElement | null>): (nodeId: string) => void {
  const flow = useReactFlow();
  const reduced = usePrefersReducedMotion();
  return useCallback(
    (nodeId: string) => {
      const node = flow.getInternalNode(nodeId);
      if (!node) return;
      const { x, y } = node.internals.positionAbsolute;
      const width = node.measured.width ?? node.width ?? 0;
      const height = node.measured.height ?? node.height ?? 0;
      void flow.setCenter(x + width / 2, y + height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: reduced ? 0 : 300 });
      // Only nodes whose selection changes get new objects, so the rest do not re-render.
      flow.setNodes((nodes) => nodes.map((n) => (Boolean(n.selected) === (n.id === nodeId) ? n : { ...n, selected: n.id === nodeId })));
      const element = Array.from(container.current?.querySelectorAll<HTMLElement>('.react-flow__node') ?? []).find(
        (el) => el.dataset.id === nodeId,
      );
      element?.focus({ preventScroll: true });
    },
    [flow, reduced, container],
  );
}
