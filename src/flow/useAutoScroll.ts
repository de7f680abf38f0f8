import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** What {@link useAutoScroll} returns. */
export interface AutoScroll {
  /** Put on the scrolling element's `onScroll`. */
  onScroll: () => void;
  /** Whether the view follows new content (the reader is at the bottom). */
  following: boolean;
  /** Scrolls to the bottom and follows again. */
  jumpToEnd: () => void;
}

/**
 * Keeps a scrolling element at its bottom as content arrives, like a terminal:
 * it stops following while the reader scrolls up, and follows again once they
 * are back at the bottom. `content` is whatever changes when lines are added.
 *
 * @example
 * const list = useRef<HTMLOListElement>(null);
 * const { onScroll, following } = useAutoScroll(list, logs);
 * <ol ref={list} onScroll={onScroll}>…</ol>
 */
export function useAutoScroll(element: RefObject<HTMLElement | null>, content: unknown, slack = 8): AutoScroll {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);

  const onScroll = useCallback(() => {
    const el = element.current;
    if (!el) return;
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - slack;
    followingRef.current = atEnd;
    setFollowing(atEnd);
  }, [element, slack]);

  const jumpToEnd = useCallback(() => {
    const el = element.current;
    if (el) el.scrollTop = el.scrollHeight;
    followingRef.current = true;
    setFollowing(true);
  }, [element]);

  useLayoutEffect(() => {
    const el = element.current;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
  }, [element, content]);

  return { onScroll, following, jumpToEnd };
}
