import { useId, useMemo, useRef, useState } from 'react';
import type { LogEntry } from '../core/state';
import { useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { formatClock } from './format';
import { useAutoScroll } from './useAutoScroll';

/** A log level, as the protocol names it. */
export type LogLevelName = LogEntry['level'];

const RANK: Record<LogLevelName, number> = { info: 0, warning: 1, error: 2 };
const LEVEL_TEXT: Record<LogLevelName, string> = { info: 'INFO', warning: 'WARN', error: 'ERROR' };

/** Props of {@link LogPanel}. */
export interface LogPanelProps {
  className?: string;
  /** The least severe level shown at first. @default 'info' */
  defaultLevel?: LogLevelName;
  /** The panel's heading. @default 'Logs' */
  title?: string;
  /** Called for a line tied to a node; inside `WorkflowCanvas` it centres that node. */
  onNodeSelect?: (nodeId: string) => void;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: (nodeId: string) => string;
}

/**
 * The run's log lines: a minimum-level filter, auto-scroll that pauses while
 * the reader scrolls up and resumes at the bottom, the count of lines dropped
 * from the bounded buffer, and lines tied to a node as buttons that show it.
 * Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><LogPanel defaultLevel="warning" /></WorkflowProvider>
 */
export function LogPanel({ className, defaultLevel = 'info', title = 'Logs', onNodeSelect, nodeLabel }: LogPanelProps) {
  const logs = useWorkflowSelector((s) => s.logs);
  const dropped = useWorkflowSelector((s) => s.droppedLogs);
  const [level, setLevel] = useState<LogLevelName>(defaultLevel);
  const canvas = useCanvasContext();
  const select = onNodeSelect ?? canvas.focusNode;
  const name = nodeLabel ?? canvas.labelOf;
  // Keyed by absolute line number (dropped + index), which stays put as the buffer slides.
  const shown = useMemo(() => {
    const out: Array<{ entry: LogEntry; line: number }> = [];
    logs.forEach((entry, i) => {
      if (RANK[entry.level] >= RANK[level]) out.push({ entry, line: dropped + i });
    });
    return out;
  }, [logs, level, dropped]);
  const list = useRef<HTMLOListElement>(null);
  const { onScroll, following, jumpToEnd } = useAutoScroll(list, shown);
  const headingId = useId();
  const filterId = useId();

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
        <label htmlFor={filterId} className="fp-logs__filter-label">
          Show
        </label>
        <select id={filterId} className="fp-logs__filter" value={level} onChange={(e) => setLevel(e.target.value as LogLevelName)}>
          <option value="info">All levels</option>
          <option value="warning">Warnings and errors</option>
          <option value="error">Errors only</option>
        </select>
      </header>
      <ol ref={list} className="fp-logs__list" role="log" aria-labelledby={headingId} tabIndex={0} onScroll={onScroll}>
        {shown.map(({ entry, line }) => (
          <li key={`${entry.executionId}:${line}`} className={`fp-log fp-log--${entry.level}`}>
            <time className="fp-log__time" dateTime={new Date(entry.time).toISOString()}>
              {formatClock(entry.time)}
            </time>
            <span className="fp-log__level">{LEVEL_TEXT[entry.level]}</span>
            {entry.nodeId !== null &&
              (select ? (
                <button
                  type="button"
                  className="fp-log__node fp-link"
                  onClick={() => select(entry.nodeId as string)}
                  title="Show this node"
                >
                  {name(entry.nodeId)}
                </button>
              ) : (
                <span className="fp-log__node">{name(entry.nodeId)}</span>
              ))}
            <span className="fp-log__message">{entry.message}</span>
          </li>
        ))}
        {shown.length === 0 && <li className="fp-log fp-log--empty">No log lines yet.</li>}
      </ol>
      {!following && (
        <button type="button" className="fp-button fp-logs__jump" onClick={jumpToEnd}>
          Jump to latest
        </button>
      )}
    </section>
  );
}
