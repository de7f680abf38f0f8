import { useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { LogLine } from './LogLine';
import type { LogLevelName } from './logLevels';
import { useAutoScroll } from './useAutoScroll';
import { useHasFocus } from './useHasFocus';
import { useLogView } from './useLogView';
import { useThrottledValue } from './useThrottledValue';

/** How often, at most, the list shows new lines. */
const LOG_UPDATE_MS = 100;

/** Props of {@link LogPanel}. */
export interface LogPanelProps {
  className?: string | undefined;
  /** The least severe level shown at first. @default 'info' */
  defaultLevel?: LogLevelName | undefined;
  /** The node whose lines alone are shown at first. @default null (all nodes) */
  defaultNode?: string | null | undefined;
  /**
   * The node selected on the canvas. Each change of it sets the node filter
   * (to that node, or back to all nodes when it becomes `null`); the reader can
   * still pick another node or clear it. `WorkflowCanvas` passes React Flow's
   * single selected node. Leave it out to filter by hand only.
   */
  selectedNodeId?: string | null | undefined;
  /** The panel's heading. @default 'Logs' (the messages' `logTitle`) */
  title?: string | undefined;
  /** Called for a line tied to a node; inside `WorkflowCanvas` it centres that node. */
  onNodeSelect?: ((nodeId: string) => void) | undefined;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: ((nodeId: string) => string) | undefined;
  /**
   * Announce new lines to screen readers (`aria-live="polite"` on the
   * `role="log"` list). Off by default: a busy run logs many lines a second,
   * and a region that reads each one drowns out everything else. The list
   * stays a focusable `role="log"` to read at will.
   * @default false
   */
  live?: boolean | undefined;
}

/**
 * The run's log lines (the store's bounded buffer): filters by minimum level
 * and by node (a select of the nodes that logged, and "All nodes"; selecting a
 * node on the canvas filters to it, with a "Filtered to node X — Clear" chip),
 * auto-scroll that pauses while the reader scrolls up and resumes at the
 * bottom (and when a new run starts or the lines shrink to fit), the count of
 * lines dropped from the buffer, and node names as buttons that show the node.
 * "Jump to latest" hands focus to the list as it goes. Silent to screen
 * readers unless `live`. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><LogPanel defaultLevel="warning" /></WorkflowProvider>
 */
export function LogPanel({
  className,
  defaultLevel = 'info',
  defaultNode = null,
  selectedNodeId,
  title,
  onNodeSelect,
  nodeLabel,
  live = false,
}: LogPanelProps) {
  const liveLogs = useWorkflowSelector((s) => s.logs);
  const liveDropped = useWorkflowSelector((s) => s.droppedLogs);
  // A busy run logs hundreds of lines a second: laying out and painting a thousand-line list on every
  // frame halved the rate a canvas kept up with. Ten updates a second read the same.
  const { logs, dropped } = useThrottledValue(
    useMemo(() => ({ logs: liveLogs, dropped: liveDropped }), [liveLogs, liveDropped]),
    LOG_UPDATE_MS,
  );
  const executionId = useWorkflowSelector((s) => s.executionId);
  const [level, setLevel] = useState<LogLevelName>(defaultLevel);
  const [node, setNode] = useState<string | null>(selectedNodeId ?? defaultNode);
  // Follow changes of the canvas selection, not the selection itself, so "Clear" sticks until the next pick.
  const [followed, setFollowed] = useState(selectedNodeId);
  if (selectedNodeId !== followed) {
    setFollowed(selectedNodeId);
    if (selectedNodeId !== undefined) setNode(selectedNodeId);
  }
  const canvas = useCanvasContext();
  const messages = useCanvasMessages();
  const select = onNodeSelect ?? canvas.focusNode;
  const name = nodeLabel ?? canvas.labelOf;
  const { shown, nodes } = useLogView(logs, dropped, level, node);
  const list = useRef<HTMLDivElement>(null);
  const { onScroll, following, jumpToEnd } = useAutoScroll(list, shown, 8, executionId);
  const [jumpFocused, jumpFocus] = useHasFocus();
  // "Jump to latest" goes once the view follows again; if it had focus, the lines it jumped to get it.
  useLayoutEffect(() => {
    if (!following || !jumpFocused) return;
    jumpFocus.onBlur();
    if (!document.activeElement || document.activeElement === document.body) list.current?.focus({ preventScroll: true });
  }, [following, jumpFocused, jumpFocus]);
  const headingId = useId();
  const levelId = useId();
  const nodeId = useId();

  return (
    <section className={`fp-logs${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <header className="fp-logs__header">
        <h2 id={headingId} className="fp-panel-title">
          {title ?? messages.logTitle}
        </h2>
        <span className="fp-logs__count">{messages.logCount(shown.length, logs.length, dropped)}</span>
        {node !== null && (
          <span className="fp-logs__chip" data-node={node}>
            {messages.logFilteredTo(<strong>{name(node)}</strong>)}
            <span aria-hidden="true"> — </span>
            <button type="button" className="fp-link" aria-label={messages.logClearFilterLabel(name(node))} onClick={() => setNode(null)}>
              {messages.logClearFilter}
            </button>
          </span>
        )}
        {/* Each label stays with its list when the header wraps on a narrow screen. */}
        <span className="fp-logs__field">
          <label htmlFor={nodeId} className="fp-logs__filter-label">
            {messages.logNodeFilter}
          </label>
          <select id={nodeId} className="fp-logs__filter" value={node ?? ''} onChange={(e) => setNode(e.target.value || null)}>
            <option value="">{messages.logAllNodes}</option>
            {nodes.map((id) => (
              <option key={id} value={id}>
                {name(id)}
              </option>
            ))}
          </select>
        </span>
        <span className="fp-logs__field">
          <label htmlFor={levelId} className="fp-logs__filter-label">
            {messages.logLevelFilter}
          </label>
          <select id={levelId} className="fp-logs__filter" value={level} onChange={(e) => setLevel(e.target.value as LogLevelName)}>
            <option value="info">{messages.logAllLevels}</option>
            <option value="warning">{messages.logWarningsAndErrors}</option>
            <option value="error">{messages.logErrorsOnly}</option>
          </select>
        </span>
      </header>
      {/* Before the list in Tab order (it shows over its bottom corner): reached without going through the lines. */}
      {!following && (
        <button
          type="button"
          className="fp-button fp-logs__jump"
          onClick={() => {
            jumpToEnd();
            list.current?.focus({ preventScroll: true });
          }}
          {...jumpFocus}
        >
          {messages.logJumpToLatest}
        </button>
      )}
      {/* The log region scrolls and takes focus; the list inside it stays a list for screen readers. */}
      <div
        ref={list}
        className="fp-logs__list"
        role="log"
        aria-live={live ? 'polite' : 'off'}
        aria-labelledby={headingId}
        tabIndex={0}
        onScroll={onScroll}
      >
        <ol className="fp-logs__lines">
          {shown.map(({ entry, line }) => (
            <LogLine key={`${entry.executionId}:${line}`} entry={entry} name={name} onNodeSelect={select} />
          ))}
          {shown.length === 0 && (
            <li className="fp-log fp-log--empty">{node === null ? messages.logEmpty : messages.logEmptyNode(name(node))}</li>
          )}
        </ol>
      </div>
    </section>
  );
}
