import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useNodeStatus, useWorkflowSelector } from '../react';
import { formatDuration } from './format';
import { NodeDetailsDialog } from './NodeDetailsDialog';
import { StatusBadge } from './StatusBadge';
import type { StatusNodeType } from './types';

function StatusNodeView({ id, data, selected, sourcePosition, targetPosition, isConnectable }: NodeProps<StatusNodeType>) {
  const run = useNodeStatus(id);
  const isCurrent = useWorkflowSelector(useCallback((s) => s.currentNodeId === id, [id]));
  const stalled = useWorkflowSelector(useCallback((s) => s.stalledNodeIds.includes(id), [id]));
  // After a server restart the run is unknown to it: "running" is no longer a fact.
  const unknown = useWorkflowSelector((s) => s.stale) && run.status === 'running';
  const [tipOpen, setTipOpen] = useState(false);
  const [dialogOpen, setDialogOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const tipId = useId();
  const descId = useId();
  const label = data.label ?? id;
  const failed = run.status === 'error';
  const current = !unknown && (isCurrent || run.status === 'running');
  const finished = run.status === 'completed' || run.status === 'error';

  const className = [
    'fp-node',
    unknown ? 'fp-node--unknown' : `fp-node--${run.status}`,
    current && 'fp-node--current',
    stalled && !unknown && 'fp-node--stalled',
    finished && 'fp-node--has-details',
    selected && 'fp-node--selected',
    tipOpen && 'fp-node--tip-open',
  ]
    .filter(Boolean)
    .join(' ');

  const openDialog = () => {
    setTipOpen(false);
    setDialogOpen(true);
  };
  // Enter on React Flow's focusable node wrapper (our parent, so no React handler
  // of ours sees it) opens the details too; React Flow still selects the node.
  useEffect(() => {
    const wrapper = root.current?.closest<HTMLElement>('.react-flow__node');
    if (!finished || !wrapper) return;
    const onEnter = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Enter' || event.target !== wrapper) return;
      setTipOpen(false);
      setDialogOpen(true);
    };
    wrapper.addEventListener('keydown', onEnter);
    return () => wrapper.removeEventListener('keydown', onEnter);
  }, [finished]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && tipOpen) {
      // Escape dismisses the tooltip first (WCAG 1.4.13), without unselecting the node.
      event.stopPropagation();
      setTipOpen(false);
    }
  };
  const describedBy = [data.description ? descId : null, failed && run.error ? tipId : null].filter(Boolean).join(' ') || undefined;
  const shown = unknown ? 'unknown' : run.status;

  return (
    <div
      ref={root}
      className={className}
      data-status={shown}
      aria-current={current ? 'step' : undefined}
      onMouseEnter={failed ? () => setTipOpen(true) : undefined}
      onMouseLeave={failed ? () => setTipOpen(false) : undefined}
      onFocus={failed ? () => setTipOpen(true) : undefined}
      onBlur={failed ? () => setTipOpen(false) : undefined}
      onKeyDown={onKeyDown}
      onClick={finished ? openDialog : undefined}
    >
      <Handle type="target" position={targetPosition ?? Position.Top} isConnectable={isConnectable} />
      <div className="fp-node__label">{label}</div>
      {data.type && <div className="fp-node__type">{data.type}</div>}
      <div className="fp-node__meta">
        {finished ? (
          <button
            type="button"
            className="fp-node__details nodrag nopan"
            aria-haspopup="dialog"
            aria-describedby={describedBy}
            onClick={(event) => {
              event.stopPropagation();
              openDialog();
            }}
          >
            <StatusBadge status={run.status} />
            <span className="fp-visually-hidden">: {label}, show details</span>
          </button>
        ) : (
          <StatusBadge status={shown} />
        )}
        {stalled && !unknown && (
          <span className="fp-node__stalled" title="Running, but no news from this node for a while">
            Stalled
          </span>
        )}
        {finished && run.durationMs !== undefined && (
          <span className="fp-node__duration" title="Duration">
            {formatDuration(run.durationMs)}
          </span>
        )}
      </div>
      {data.description && (
        <span id={descId} className="fp-visually-hidden">
          {data.description}
        </span>
      )}
      {failed && run.error && (
        <div id={tipId} role="tooltip" className="fp-node__tooltip" hidden={!tipOpen}>
          {run.error}
        </div>
      )}
      <Handle type="source" position={sourcePosition ?? Position.Bottom} isConnectable={isConnectable} />
      {dialogOpen && (
        <NodeDetailsDialog
          nodeId={id}
          label={label}
          run={run}
          onClose={() => setDialogOpen(false)}
          className={root.current?.closest('.fp-dark, .dark') ? 'fp-dark' : undefined}
        />
      )}
    </div>
  );
}

/**
 * A React Flow node that shows its run state: label, a status badge (icon and
 * word), the spec's colour (CSS variables, themeable), a pulse while running,
 * a highlight for the node running now, a "Stalled" chip when the watchdog
 * lists it, "Unknown" (no pulse) once the run is stale, the duration once
 * finished; on error a tooltip with the message (hover and focus). A finished
 * node opens {@link NodeDetailsDialog} (result, times) on click or Enter.
 * Reads its state with `useNodeStatus(id)`, so one node's change re-renders
 * that node alone. Register it through {@link nodeTypes}.
 *
 * @example
 * <WorkflowProvider workflowId="123">
 *   <ReactFlow nodes={[{ id: 'a', type: 'status', position: { x: 0, y: 0 }, data: { label: 'A' } }]} nodeTypes={nodeTypes} />
 * </WorkflowProvider>
 */
export const StatusNode = memo(StatusNodeView);
StatusNode.displayName = 'StatusNode';
