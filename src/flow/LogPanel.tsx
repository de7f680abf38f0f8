import { useId, useRef, useState } from 'react';
import { useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { LogLine } from './LogLine';
import type { LogLevelName } from './logLevels';
import { useAutoScroll } from './useAutoScroll';
import { useLogView } from './useLogView';

/** Props of {@link LogPanel}. */
export interface LogPanelProps {
  className?: string;
  /** The least severe level shown at first. @default 'info' */
  defaultLevel?: LogLevelName;
  /** The node whose lines alone are shown at first. @default null (all nodes) */
  defaultNode?: string | null;
  /**
   * The node selected on the canvas. Each change of it sets the node filter
   * (to that node, or back to all nodes when it becomes `null`); the reader can
   * still pick another node or clear it. `WorkflowCanvas` passes React Flow's
   * single selected node. Leave it out to filter by hand only.
   */
  selectedNodeId?: string | null;
  /** The panel's heading. @default 'Logs' */
  title?: string;
  /** Called for a line tied to a node; inside `WorkflowCanvas` it centres that node. */
  onNodeSelect?: (nodeId: string) => void;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: (nodeId: string) => string;
}

/**
 * The run's log lines (the store's bounded buffer): filters by minimum level
 * and by node (a select of the nodes that logged, and "All nodes"; selecting a
 * node on the canvas filters to it, with a "Filtered to node X — Clear" chip),
 * auto-scroll that pauses while the reader scrolls up and resumes at the
 * bottom, the count of lines dropped from the buffer, and node names as
 * buttons that show the node. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><LogPanel defaultLevel="warning" /></WorkflowProvider>
 */
export function LogPanel({
  className,
  defaultLevel = 'info',
  defaultNode = null,
  selectedNodeId,
  title = 'Logs',
  onNodeSelect,
  nodeLabel,
}: LogPanelProps) {
  const logs = useWorkflowSelector((s) => s.logs);
  const dropped = useWorkflowSelector((s) => s.droppedLogs);
  const [level, setLevel] = useState<LogLevelName>(defaultLevel);
  const [node, setNode] = useState<string | null>(selectedNodeId ?? defaultNode);
  // Follow changes of the canvas selection, not the selection itself, so "Clear" sticks until the next pick.
  const [followed, setFollowed] = useState(selectedNodeId);
  if (selectedNodeId !== followed) {
    setFollowed(selectedNodeId);
    if (selectedNodeId !== undefined) setNode(selectedNodeId);
  }
  const canvas = useCanvasContext();
  const select = onNodeSelect ?? canvas.focusNode;
  const name = nodeLabel ?? canvas.labelOf;
  const { shown, nodes } = useLogView(logs, dropped, level, node);
  const list = useRef<HTMLOListElement>(null);
  const { onScroll, following, jumpToEnd } = useAutoScroll(list, shown);
  const headingId = useId();
  const levelId = useId();
  const nodeId = useId();

  return (
    <section className={`fp-logs${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <header className="fp-logs__header">
        <h2 id={headingId} className="fp-panel-title">
          {title}
        </h2>
        <span className="fp-logs__count">
          {shown.length === logs.length ? `${logs.length} lines` : `${shown.length} of ${logs.length} lines`}
          {dropped > 0 && `, ${dropped} earlier dropped`}
        </span>
        {node !== null && (
          <span className="fp-logs__chip" data-node={node}>
            Filtered to node <strong>{name(node)}</strong>
            <span aria-hidden="true"> — </span>
            <button type="button" className="fp-link" aria-label={`Clear the node filter (${name(node)})`} onClick={() => setNode(null)}>
              Clear
            </button>
          </span>
        )}
        <label htmlFor={nodeId} className="fp-logs__filter-label">
          Node
        </label>
        <select id={nodeId} className="fp-logs__filter" value={node ?? ''} onChange={(e) => setNode(e.target.value || null)}>
          <option value="">All nodes</option>
          {nodes.map((id) => (
            <option key={id} value={id}>
              {name(id)}
            </option>
          ))}
        </select>
        <label htmlFor={levelId} className="fp-logs__filter-label">
          Show
        </label>
        <select id={levelId} className="fp-logs__filter" value={level} onChange={(e) => setLevel(e.target.value as LogLevelName)}>
          <option value="info">All levels</option>
          <option value="warning">Warnings and errors</option>
          <option value="error">Errors only</option>
        </select>
      </header>
      <ol ref={list} className="fp-logs__list" role="log" aria-labelledby={headingId} tabIndex={0} onScroll={onScroll}>
        {shown.map(({ entry, line }) => (
          <LogLine key={`${entry.executionId}:${line}`} entry={entry} name={name} onNodeSelect={select} />
        ))}
        {shown.length === 0 && (
          <li className="fp-log fp-log--empty">{node === null ? 'No log lines yet.' : `No log lines from ${name(node)}.`}</li>
        )}
      </ol>
      {!following && (
        <button type="button" className="fp-button fp-logs__jump" onClick={jumpToEnd}>
          Jump to latest
        </button>
      )}
    </section>
  );
}
