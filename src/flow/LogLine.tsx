import { memo } from 'react';
import type { LogEntry } from '../core/state';
import { formatClock } from './format';
import type { CanvasMessages } from './canvasMessages';
import { useCanvasMessages } from './CanvasMessagesProvider';
import type { LogLevelName } from './logLevels';

const levelText = (m: CanvasMessages, level: LogLevelName) =>
  level === 'error' ? m.logLevelError : level === 'warning' ? m.logLevelWarning : m.logLevelInfo;

/** Props of {@link LogLine}. */
export interface LogLineProps {
  entry: LogEntry;
  /** A node's label. */
  name: (nodeId: string) => string;
  /** Makes the node name a button that shows the node. */
  onNodeSelect?: ((nodeId: string) => void) | undefined;
}

function LogLineView({ entry, name, onNodeSelect }: LogLineProps) {
  const { nodeId } = entry;
  const messages = useCanvasMessages();
  return (
    <li className={`fp-log fp-log--${entry.level}`}>
      <time className="fp-log__time" dateTime={new Date(entry.time).toISOString()}>
        {formatClock(entry.time)}
      </time>
      <span className="fp-log__level">{levelText(messages, entry.level)}</span>
      {nodeId !== null &&
        (onNodeSelect ? (
          // Not a Tab stop: a thousand lines would be a thousand stops. Keyboard users reach the node on the canvas itself.
          <button
            type="button"
            className="fp-log__node fp-link"
            tabIndex={-1}
            onClick={() => onNodeSelect(nodeId)}
            title={messages.logShowNode}
          >
            {name(nodeId)}
          </button>
        ) : (
          <span className="fp-log__node">{name(nodeId)}</span>
        ))}
      <span className="fp-log__message">{entry.message}</span>
    </li>
  );
}

/**
 * One log line: time, level as a word, the node (a button when it can be
 * shown), the message. Memoized: lines are immutable, so a new line renders
 * itself alone, not the whole buffer again.
 *
 * @example
 * <ol role="log"><LogLine entry={entry} name={(id) => id} /></ol>
 */
export const LogLine = memo(LogLineView);
LogLine.displayName = 'LogLine';
