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
 * are back at the bottom, once the content fits without scrolling (a new run
 * cleared it, a filter shortened it: no scroll event says so), and whenever
 * `resetKey` changes (pass the execution id: a new run is followed from the
 * start). `content` is whatever changes when lines are added.
 *
 * @example
 * const list = useRef<HTMLDivElement>(null);
 * const { onScroll, following } = useAutoScroll(list, logs, 8, executionId);
 * <ol ref={list} onScroll={onScroll}>…</ol>
 */
export function useAutoScroll(element: RefObject<HTMLElement | null>, content: unknown, slack = 8, resetKey?: unknown): AutoScroll {
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const keyRef = useRef(resetKey);

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
    const was = followingRef.current;
    if (keyRef.current !== resetKey) {
      keyRef.current = resetKey;
      followingRef.current = true;
    }
    // Content that fits has nothing below to miss; and no scroll event comes when it shrinks.
    if (el && el.scrollHeight <= el.clientHeight + slack) followingRef.current = true;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
    if (!was && followingRef.current) setFollowing(true);
  }, [element, content, slack, resetKey]);

  return { onScroll, following, jumpToEnd };
}
