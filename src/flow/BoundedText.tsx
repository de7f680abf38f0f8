import { useId, useState } from 'react';
import { useCanvasMessages } from './CanvasMessagesProvider';

/** Props of {@link BoundedText}. */
export interface BoundedTextProps {
  text: string;
  /** Characters shown until the reader asks for all. @default 20000 */
  limit?: number | undefined;
  className?: string | undefined;
}

/**
 * Preformatted text cut to its first `limit` characters, with a "Show all"
 * button: a multi-megabyte result would otherwise stall the page the moment
 * the dialog opens, though the reader usually needs only the start.
 *
 * @example
 * <BoundedText text={JSON.stringify(result, null, 2)} limit={20_000} />
 */
export function BoundedText({ text, limit = 20_000, className }: BoundedTextProps) {
  const [all, setAll] = useState(false);
  const messages = useCanvasMessages();
  const id = useId();
  const long = text.length > limit;
  const shown = long && !all ? `${text.slice(0, limit)}…` : text;
  return (
    <div className="fp-bounded">
      <pre id={id} className={className ?? 'fp-dialog__result'} tabIndex={0}>
        {shown}
      </pre>
      {long && (
        <p className="fp-bounded__more">
          <span>{all ? messages.textCharacters(text.length) : messages.textFirstCharacters(limit, text.length)}</span>{' '}
          <button type="button" className="fp-link" aria-expanded={all} aria-controls={id} onClick={() => setAll(!all)}>
            {all ? messages.showLess : messages.showAll}
          </button>
        </p>
      )}
    </div>
  );
}
