import { useMemo, useState } from 'react';

/** Handlers that {@link useHasFocus} needs on the element it watches. */
export interface FocusHandlers {
  onFocus: () => void;
  onBlur: () => void;
}

/**
 * Whether an element has focus, and the handlers that track it. A control that
 * would otherwise vanish once it has done its job (a "Reconnect" that starts a
 * reconnect) stays mounted while it holds focus, so keyboard and screen-reader
 * users are not dropped to the top of the page; it goes when focus moves on.
 *
 * @example
 * const [focused, handlers] = useHasFocus();
 * {(needed || focused) && <button aria-disabled={!needed || undefined} {...handlers}>Reconnect</button>}
 */
export function useHasFocus(): [boolean, FocusHandlers] {
  const [focused, setFocused] = useState(false);
  const handlers = useMemo<FocusHandlers>(() => ({ onFocus: () => setFocused(true), onBlur: () => setFocused(false) }), []);
  return [focused, handlers];
}
