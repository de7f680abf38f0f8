import { useCanvasMessages } from './CanvasMessagesProvider';
import { preloadLayout } from './layoutEngine';

const ignore = () => {};

/** Props of {@link LayoutFailed}. */
interface LayoutFailedProps {
  error: Error;
  /** Called as Try again starts a new load: the alert goes then, so focus needs somewhere to go. */
  onRetry: () => void;
}

/**
 * The layout engine did not load: the nodes that wait for it cannot be drawn.
 * Says so, and offers to try again.
 */
export function LayoutFailed({ error, onRetry }: LayoutFailedProps) {
  const messages = useCanvasMessages();
  return (
    <div role="alert" className="fp-notice fp-notice--layout" data-notice="layout">
      <span className="fp-notice__icon" aria-hidden="true">
        !
      </span>
      <p className="fp-notice__text">
        <strong>{messages.layoutFailed}</strong>
        <span className="fp-notice__detail"> {error.message}</span>
      </p>
      <button
        type="button"
        className="fp-button"
        onClick={() => {
          onRetry();
          void preloadLayout().catch(ignore);
        }}
      >
        {messages.tryAgain}
      </button>
    </div>
  );
}
