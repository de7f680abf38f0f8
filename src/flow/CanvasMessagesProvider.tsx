import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_MESSAGES, withMessages, type CanvasMessageOverrides, type CanvasMessages } from './canvasMessages';

const MessagesContext = createContext<CanvasMessages>(DEFAULT_MESSAGES);

/** Same keys, same values: an inline catalog of strings is the same catalog on every render. */
function sameMessages(a: CanvasMessageOverrides | undefined, b: CanvasMessageOverrides | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a) as Array<keyof CanvasMessages>;
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}

/**
 * `base` with the keys `messages` gives (those set to `undefined` left out),
 * the same object for as long as `base` and the texts in `messages` stay the
 * same: a catalog written inline (strings) re-renders nothing. Functions
 * written inline are new on every render: memoize such a catalog.
 */
export function useMergedMessages(base: CanvasMessages, messages: CanvasMessageOverrides | undefined): CanvasMessages {
  const [kept, setKept] = useState(messages);
  const same = sameMessages(kept, messages);
  if (!same) setKept(messages);
  const given = same ? kept : messages;
  return useMemo(() => withMessages(given, base), [base, given]);
}

/** Props of {@link CanvasMessagesProvider}. */
export interface CanvasMessagesProviderProps {
  /**
   * The texts to change; the rest stay those of the enclosing provider
   * (English, {@link DEFAULT_MESSAGES}, with none). Memoize it when it holds functions.
   */
  messages?: CanvasMessageOverrides | undefined;
  children?: ReactNode | undefined;
}

/**
 * Translates the canvas's panels used on their own (`ProgressBar`,
 * `LogPanel`, `ConnectionIndicator`, …): everything inside reads its words
 * from `messages`, falling back, key by key, to an enclosing provider's and
 * then to English. `WorkflowCanvas` and `CanvasView` use one themselves for
 * their `messages` prop, inside whatever provider surrounds them.
 *
 * @example
 * <WorkflowProvider workflowId="123">
 *   <CanvasMessagesProvider messages={{ progressWaiting: 'Warte auf einen Lauf', logTitle: 'Protokoll' }}>
 *     <ProgressBar />
 *     <LogPanel />
 *   </CanvasMessagesProvider>
 * </WorkflowProvider>
 */
export function CanvasMessagesProvider({ messages, children }: CanvasMessagesProviderProps) {
  const merged = useMergedMessages(useContext(MessagesContext), messages);
  return <MessagesContext.Provider value={merged}>{children}</MessagesContext.Provider>;
}

/**
 * The words in force: the nearest {@link CanvasMessagesProvider}'s (or the
 * canvas's `messages`), English without one. For your own panels and node
 * renderers to speak the canvas's language.
 *
 * @example
 * const m = useCanvasMessages();
 * return <span>{m.statusRunning}</span>;
 */
export function useCanvasMessages(): CanvasMessages {
  return useContext(MessagesContext);
}

/** The provider of a catalog already merged (the canvas's): no second merge. */
export const CanvasMessagesContextProvider = MessagesContext.Provider;
