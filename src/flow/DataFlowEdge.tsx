import { memo } from 'react';
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { FlowMarker } from './FlowMarker';
import type { DataFlowEdgeType } from './types';
import { useEdgeFlow } from './useEdgeFlow';
import { usePrefersReducedMotion } from './usePrefersReducedMotion';

function DataFlowEdgeView({
  id,
  source,
  target,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  markerStart,
  markerEnd,
  style,
  interactionWidth,
  label,
  labelStyle,
  labelShowBg,
  labelBgStyle,
  labelBgPadding,
  labelBgBorderRadius,
}: EdgeProps<DataFlowEdgeType>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const flow = useEdgeFlow(id, source, target);
  const reduced = usePrefersReducedMotion();
  const className = flow ? `fp-edge fp-edge--flowing${reduced ? ' fp-edge--static' : ''}` : 'fp-edge';
  return (
    <>
      {/* No DOM id: edge ids repeat across canvases on one page (and nothing refers to the path). */}
      <BaseEdge
        path={path}
        className={className}
        markerStart={markerStart}
        markerEnd={markerEnd}
        style={style}
        interactionWidth={interactionWidth}
        label={label}
        labelX={labelX}
        labelY={labelY}
        labelStyle={labelStyle}
        labelShowBg={labelShowBg}
        labelBgStyle={labelBgStyle}
        labelBgPadding={labelBgPadding}
        labelBgBorderRadius={labelBgBorderRadius}
        data-flow-id={flow?.id}
      />
      {flow && !reduced && <FlowMarker key={flow.id} path={path} />}
    </>
  );
}

/**
 * A React Flow edge that shows data passing: a static bezier at rest; on each
 * `edge_flow` for it a marker travels source → target and the edge stays
 * highlighted (dashed, moving) until the store expires the flow, 3 s later.
 * With `prefers-reduced-motion` the highlight is static and there is no marker.
 * An idle edge animates nothing. Register it through {@link edgeTypes}.
 *
 * @example
 * <ReactFlow edges={[{ id: 'a->b', source: 'a', target: 'b', type: 'dataflow' }]} edgeTypes={edgeTypes} />
 */
export const DataFlowEdge = memo(DataFlowEdgeView);
DataFlowEdge.displayName = 'DataFlowEdge';
