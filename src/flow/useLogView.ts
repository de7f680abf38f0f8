import { useMemo } from 'react';
import type { LogEntry } from '../core/state';
import { LOG_LEVEL_RANK, type LogLevelName } from './logLevels';

/**
 * What {@link useLogView} returns.
 *
 * @example
 * const { shown, nodes }: LogView = useLogView(logs, dropped, 'info', null);
 */
export interface LogView {
  /** Lines passing both filters, each with its absolute line number (stable as the buffer slides). */
  shown: Array<{ entry: LogEntry; line: number }>;
  /** Nodes with lines in the buffer, in order of their first line; plus the filtered node if it has none. */
  nodes: string[];
}

/**
 * The log lines to show for a minimum level and an optional node, and the
 * nodes there are to choose from. Memoized on the buffer and the filters.
 *
 * @example
 * const { shown, nodes } = useLogView(logs, droppedLogs, 'warning', 'fetch');
 */
export function useLogView(logs: readonly LogEntry[], dropped: number, level: LogLevelName, node: string | null): LogView {
  const shown = useMemo(() => {
    const out: LogView['shown'] = [];
    const min = LOG_LEVEL_RANK[level];
    logs.forEach((entry, i) => {
      if (LOG_LEVEL_RANK[entry.level] >= min && (node === null || entry.nodeId === node)) out.push({ entry, line: dropped + i });
    });
    return out;
  }, [logs, level, node, dropped]);
  const logged = useMemo(() => {
    const seen = new Set<string>();
    for (const entry of logs) if (entry.nodeId !== null) seen.add(entry.nodeId);
    return [...seen];
  }, [logs]);
  const nodes = useMemo(() => (node === null || logged.includes(node) ? logged : [...logged, node]), [logged, node]);
  return { shown, nodes };
}
