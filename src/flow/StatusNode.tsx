import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { NodeRunState, WorkflowState } from '../core/state';
import { nodeRunState, useNodeStatus, useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { formatDuration } from './format';
import { NodeDetailsDialog } from './NodeDetailsDialog';
import { StatusBadge } from './StatusBadge';
import type { StatusNodeType } from './types';

type Modifiers = Pick<MouseEvent | globalThis.KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

// Shift, Ctrl and Cmd clicks are React Flow's multi-selection: they never open the details.
const modified = (event: Modifiers) => event.altKey || event.ctrlKey || event.metaKey || event.shiftKey;

// The ring and aria-current mean "working on this now": only in a live run the server still knows.
function isCurrentNode(s: WorkflowState, id: string): boolean {
  if (s.stale || (s.runStatus !== 'running' && s.runStatus !== 'paused')) return false;
  const { status } = nodeRunState(s, id);
  // `progress` may name the node that just finished (ours does): that one is done, not current.
  return status === 'running' || (s.currentNodeId === id && status === 'pending');
}

function StatusNodeView({ id, data, selected, sourcePosition, targetPosition, isConnectable }: NodeProps<StatusNodeType>) {
  const run = useNodeStatus(id);
  const messages = useCanvasMessages();
  const current = useWorkflowSelector(useCallback((s: WorkflowState) => isCurrentNode(s, id), [id]));
  const stalled = useWorkflowSelector(useCallback((s: WorkflowState) => s.stalledNodeIds.includes(id), [id]));
  // After a server restart the run is unknown to it: "running" is no longer a fact.
  const unknown = useWorkflowSelector((s) => s.stale) && run.status === 'running';
  const [tipOpen, setTipOpen] = useState(false);
  // The run state the dialog was opened on; null while it is closed.
  const [dialogRun, setDialogRun] = useState<NodeRunState | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const tipId = useId();
  const descId = useId();
  const labelId = useId();
  const statusId = useId();
  const stalledId = useId();
  const keysId = useId();
  const label = data.label ?? id;
  const failed = run.status === 'error';
  const finished = run.status === 'completed' || run.status === 'error';
  const showStalled = stalled && !unknown;
  // The node's own percent, when its backend sends `progress` with `running`.
  const nodePercent = run.status === 'running' && !unknown && run.progress !== undefined ? Math.round(run.progress) : null;
  const percentId = useId();

  const className = [
    'fp-node',
    unknown ? 'fp-node--unknown' : `fp-node--${run.status}`,
    current && 'fp-node--current',
    showStalled && 'fp-node--stalled',
    finished && 'fp-node--has-details',
    selected && 'fp-node--selected',
    failed && tipOpen && 'fp-node--tip-open',
  ]
    .filter(Boolean)
    .join(' ');

  const runRef = useRef(run);
  runRef.current = run;
  const openDialog = useCallback(() => {
    setTipOpen(false);
    setDialogRun(runRef.current);
  }, []);
  const wrapper = () => root.current?.closest<HTMLElement>('.react-flow__node') ?? null;

  // React Flow's focusable wrapper (role="group", our parent) is what keyboard
  // users land on: name it after the label and the status, unless the app gave
  // the node its own `ariaLabel`.
  const labelledBy = `${labelId} ${statusId}${nodePercent === null ? '' : ` ${percentId}`}${showStalled ? ` ${stalledId}` : ''}`;
  useEffect(() => {
    const el = root.current?.closest<HTMLElement>('.react-flow__node');
    if (!el || el.hasAttribute('aria-label')) return;
    el.setAttribute('aria-labelledby', labelledBy);
    return () => el.removeAttribute('aria-labelledby');
  }, [labelledBy]);

  // No React handler of ours sees that wrapper's events, so they are listened to here. Enter opens
  // the details of a finished node (React Flow still selects it); focus shows an error's tooltip,
  // and Escape hides it (WCAG 1.4.13) without unselecting the node.
  // What is on screen, for the listeners below; synced after commit, so a render React discards changes nothing.
  const finishedRef = useRef(finished);
  const tipShownRef = useRef(false);
  useEffect(() => {
    finishedRef.current = finished;
    tipShownRef.current = failed && tipOpen;
  });
  useEffect(() => {
    const el = root.current?.closest<HTMLElement>('.react-flow__node');
    if (!el) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.target !== el || modified(event)) return;
      if (event.key === 'Enter' && finishedRef.current) {
        // Else the key's own default lands on the dialog's just-focused Close button and closes it.
        event.preventDefault();
        openDialog();
      } else if (event.key === 'Escape' && tipShownRef.current) {
        event.stopPropagation();
        setTipOpen(false);
      }
    };
    const onFocus = (event: FocusEvent) => event.target === el && setTipOpen(true);
    const onBlur = (event: FocusEvent) => event.target === el && setTipOpen(false);
    el.addEventListener('keydown', onKey);
    el.addEventListener('focus', onFocus);
    el.addEventListener('blur', onBlur);
    return () => {
      el.removeEventListener('keydown', onKey);
      el.removeEventListener('focus', onFocus);
      el.removeEventListener('blur', onBlur);
    };
  }, [openDialog]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && failed && tipOpen) {
      // Escape dismisses the tooltip first (WCAG 1.4.13), without unselecting the node.
      event.stopPropagation();
      setTipOpen(false);
    }
  };
  const describedBy = [data.description ? descId : null, failed && run.error ? tipId : null].filter(Boolean).join(' ') || undefined;
  // The wrapper keyboard users land on is described by the error, the description and (once finished)
  // what Enter does here, before React Flow's key help, which is the same for every node type.
  const wrapperDescribedBy = [describedBy, finished ? keysId : null].filter(Boolean).join(' ');
  useEffect(() => {
    const el = wrapper();
    if (!el || !wrapperDescribedBy) return;
    const before = el.getAttribute('aria-describedby');
    el.setAttribute('aria-describedby', before ? `${wrapperDescribedBy} ${before}` : wrapperDescribedBy);
    return () => (before === null ? el.removeAttribute('aria-describedby') : el.setAttribute('aria-describedby', before));
  }, [wrapperDescribedBy]);
  const shown = unknown ? 'unknown' : run.status;
  // A new run resets the node while its dialog is open: the dialog keeps the finished state it showed, and says so.
  const shownRun = dialogRun && (finished ? run : dialogRun);

  return (
    <div
      ref={root}
      className={className}
      data-status={shown}
      aria-current={current ? 'step' : undefined}
      // Tracked whatever the status, so a pointer that left during another run leaves no tooltip open.
      onMouseEnter={() => setTipOpen(true)}
      onMouseLeave={() => setTipOpen(false)}
      onFocus={() => setTipOpen(true)}
      onBlur={() => setTipOpen(false)}
      onKeyDown={onKeyDown}
      // A plain click selects (React Flow's wrapper handles it); a double click opens the details.
      onDoubleClick={
        finished
          ? (event) => {
              if (!modified(event)) openDialog();
            }
          : undefined
      }
    >
      <Handle type="target" position={targetPosition ?? Position.Top} isConnectable={isConnectable} />
      <div id={labelId} className="fp-node__label">
        {label}
      </div>
      {data.type && <div className="fp-node__type">{data.type}</div>}
      <div className="fp-node__meta">
        {finished ? (
          <button
            type="button"
            className="fp-node__details nodrag nopan"
            aria-haspopup="dialog"
            aria-describedby={describedBy}
            onClick={(event) => {
              // Modified clicks are left to React Flow's multi-selection.
              if (modified(event)) return;
              event.stopPropagation();
              openDialog();
            }}
          >
            <StatusBadge status={run.status} textId={statusId} />
            <span className="fp-visually-hidden">{messages.nodeDetailsHint(label)}</span>
          </button>
        ) : (
          <StatusBadge status={shown} textId={statusId} />
        )}
        {nodePercent !== null && (
          <span id={percentId} className="fp-node__percent">
            {messages.percent(nodePercent)}
          </span>
        )}
        {showStalled && (
          <span id={stalledId} className="fp-node__stalled" title={messages.nodeStalledHint}>
            {messages.nodeStalled}
          </span>
        )}
        {finished && run.durationMs !== undefined && (
          <span className="fp-node__duration" title={messages.nodeDuration}>
            {formatDuration(run.durationMs, messages)}
          </span>
        )}
      </div>
      {data.description && (
        <span id={descId} className="fp-visually-hidden">
          {data.description}
        </span>
      )}
      {finished && (
        <span id={keysId} className="fp-visually-hidden">
          {messages.nodeEnterForDetails}
        </span>
      )}
      {failed && run.error && (
        <div id={tipId} role="tooltip" className="fp-node__tooltip" hidden={!tipOpen}>
          {run.error}
        </div>
      )}
      <Handle type="source" position={sourcePosition ?? Position.Bottom} isConnectable={isConnectable} />
      {shownRun && (
        <NodeDetailsDialog
          nodeId={id}
          label={label}
          run={shownRun}
          outdated={!finished}
          onClose={() => setDialogRun(null)}
          returnFocusTo={wrapper}
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
 * node opens {@link NodeDetailsDialog} (result, times) from its status badge
 * button, on Enter, or on a double click; a plain click only selects it (the
 * canvas's log panel follows the selection), and modified clicks are left to
 * React Flow's multi-selection. If a new run resets the node while the dialog
 * is open, the dialog keeps the finished state and says it is from the earlier
 * run. The ring and `aria-current="step"` mark the node being worked on in a
 * live run (running or paused, not stale). React Flow's focusable wrapper is
 * named after the label and status (`aria-labelledby`) unless the node has its
 * own `ariaLabel`.
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
