import { statusText } from './canvasMessages';
import { useCanvasMessages } from './CanvasMessagesProvider';
import type { NodeStatusName } from './statusLabels';

// One distinct shape per status, so the badge reads without colour too.
const ICONS: Record<NodeStatusName, string> = {
  pending: 'M8 3.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9Zm0 1.5a3 3 0 1 1 0 6 3 3 0 0 1 0-6Z',
  running: 'M5 3.5v9l8-4.5-8-4.5Z',
  completed: 'M3.5 8.5 6.5 11.5 12.5 5 11.2 3.8 6.5 9 4.8 7.2Z',
  error: 'M4.6 3.5 8 6.9l3.4-3.4 1.1 1.1L9.1 8l3.4 3.4-1.1 1.1L8 9.1l-3.4 3.4-1.1-1.1L6.9 8 3.5 4.6Z',
  unknown: 'M8 2.5a3 3 0 0 0-3 3h1.5A1.5 1.5 0 1 1 8 7c-.8 0-.8.7-.8 1.5V10h1.6V8.9A3 3 0 0 0 8 2.5ZM7.2 11.5h1.6V13H7.2Z',
};

/** Props of {@link StatusBadge}. */
export interface StatusBadgeProps {
  status: NodeStatusName;
  className?: string | undefined;
  /** An id for the word, so an `aria-labelledby` elsewhere can name the status. */
  textId?: string | undefined;
}

/**
 * A node status as an icon and a word (`Running`, or its translation: see
 * `CanvasMessagesProvider`), never colour alone.
 *
 * @example
 * <StatusBadge status="completed" />
 */
export function StatusBadge({ status, className, textId }: StatusBadgeProps) {
  const messages = useCanvasMessages();
  return (
    <span className={`fp-badge fp-badge--${status}${className ? ` ${className}` : ''}`}>
      <svg className="fp-badge__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
        <path d={ICONS[status]} fill="currentColor" fillRule="evenodd" />
      </svg>
      <span id={textId} className="fp-badge__text">
        {statusText(messages, status)}
      </span>
    </span>
  );
}
