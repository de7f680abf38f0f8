import { useEffect, useState } from 'react';
import { useCanvasMessages } from './CanvasMessagesProvider';

/** How long the graph may wait for its layout before the canvas says so: a quick load shows no text at all. */
const LAYOUT_NOTICE_DELAY_MS = 400;

/**
 * Over the graph while nodes wait for the layout engine (loaded on first
 * need): a polite status, mounted empty and filled only if the wait is
 * noticeable, so a screen reader hears it then and a fast load flashes nothing.
 */
export function LayoutStatus() {
  const [slow, setSlow] = useState(false);
  const messages = useCanvasMessages();
  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), LAYOUT_NOTICE_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <p className="fp-canvas__layout-status" role="status">
      {slow ? messages.layoutPending : ''}
    </p>
  );
}
