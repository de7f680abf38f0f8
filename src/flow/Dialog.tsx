import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { THEME_VARIABLES } from './themeVariables';

/** Props of {@link Dialog}. */
export interface DialogProps {
  /** The dialog's accessible name, shown as its heading. */
  title: ReactNode;
  onClose: () => void;
  children?: ReactNode | undefined;
  /** Extra class on the dialog box, e.g. `fp-dark` for the dark palette. */
  className?: string | undefined;
  /**
   * Where focus goes on close when the element that had it before the dialog
   * opened is gone (a node's details button disappears when a new run resets the node).
   */
  returnFocusTo?: (() => HTMLElement | null | undefined) | undefined;
  /**
   * The element whose theme (the `--fp-*` values in force there that differ from the
   * page's) the dialog takes: it is rendered into the body, outside the canvas and
   * whatever themed it.
   */
  themeFrom?: (() => Element | null | undefined) | undefined;
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

// Events inside the portal still bubble through React's tree, into the node and
// React Flow's node wrapper (which selects, moves and deletes on keys and clicks).
const stop = (event: SyntheticEvent) => event.stopPropagation();

/**
 * A modal dialog: `role="dialog"`, `aria-modal`, labelled by its title; focus
 * moves in and stays in, Escape or the backdrop closes it, and focus returns to
 * whatever had it before (or to `returnFocusTo` when that is gone). Rendered
 * into `document.body`, above the canvas.
 *
 * @example
 * {open && <Dialog title="Node failed" onClose={() => setOpen(false)}>timeout</Dialog>}
 */
export function Dialog({ title, onClose, children, className, returnFocusTo, themeFrom }: DialogProps) {
  const titleId = useId();
  const messages = useCanvasMessages();
  const backdrop = useRef<HTMLDivElement>(null);
  // Only what is themed between the page and the node (a canvas's palette, a wrapper's overrides) is
  // copied: the rest the backdrop inherits from the page, live, and the app's rules for it still apply.
  // After every commit, so a canvas whose palette changes while the dialog is open is followed.
  useLayoutEffect(() => {
    const from = themeFrom?.();
    if (!from || !backdrop.current) return;
    const theme = getComputedStyle(from);
    const page = getComputedStyle(from.ownerDocument.body);
    for (const name of THEME_VARIABLES) {
      const value = theme.getPropertyValue(name);
      if (value !== page.getPropertyValue(name)) backdrop.current.style.setProperty(name, value);
      else backdrop.current.style.removeProperty(name);
    }
  });
  const box = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const fallbackRef = useRef(returnFocusTo);
  fallbackRef.current = returnFocusTo;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => {
      if (previous && previous.isConnected && previous !== document.body) previous.focus();
      else fallbackRef.current?.()?.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    // From the dialog box itself (focused by a click on its text) Shift+Tab wraps too, rather than leaving the modal.
    if (event.shiftKey && (document.activeElement === first || document.activeElement === box.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div
      ref={backdrop}
      className={`fp-dialog-backdrop${className ? ` ${className}` : ''}`}
      onKeyDown={onKeyDown}
      onClick={stop}
      onDoubleClick={stop}
      onPointerDown={stop}
      onMouseDown={(event) => {
        stop(event);
        if (event.target !== event.currentTarget) return;
        // Else the browser moves focus to the page after the press, undoing the focus return on close.
        event.preventDefault();
        onCloseRef.current();
      }}
    >
      {/* Focusable, so a click on its text keeps focus inside (and Escape working) instead of dropping it to the page. */}
      <div ref={box} className="fp-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
        <div className="fp-dialog__header">
          <h2 id={titleId} className="fp-dialog__title">
            {title}
          </h2>
          <button ref={close} type="button" className="fp-dialog__close" onClick={() => onCloseRef.current()} aria-label={messages.close}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div className="fp-dialog__body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}
