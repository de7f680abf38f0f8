import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ControlResult } from '../core/control';
import { useWorkflowControl, type UseWorkflowControlOptions } from '../control';
import { useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';

/** Props of {@link RunToolbar}: REST options (`token`, `fetch`, `apiBaseUrl`) and what Run sends. */
export interface RunToolbarProps extends UseWorkflowControlOptions {
  /** Sent as `initial_inputs` by Run. @default {} */
  initialInputs?: Record<string, unknown> | undefined;
  className?: string | undefined;
}

type Verb = 'run' | 'pause' | 'resume' | 'cancel';

/** How long Run stays off after the server accepted a run that the socket has not reported yet. */
const START_WAIT_MS = 5000;

/**
 * Run, Pause, Resume and Cancel for the workflow of the nearest
 * `WorkflowProvider`, each enabled only when it makes sense: Run when no run
 * is live (or the server forgot it: stale), Pause while running, Resume while
 * paused, Cancel while running or paused; never Pause, Resume or Cancel on a
 * stale run. After Run succeeds, Run stays off until the socket reports the
 * execution it started (or 5 s pass), so a second click cannot start a
 * duplicate run. The toolbar is `aria-busy` and its buttons are off while a
 * request is in flight. Buttons that are off are `aria-disabled`, not
 * `disabled`: they keep focus when pressed, so a keyboard user is not dropped
 * to the top of the page. A failure is shown beside the buttons
 * (`role="alert"`) and reaches the client's `onError`.
 *
 * @example
 * <WorkflowProvider workflowId="123" baseUrl="ws://localhost:8000">
 *   <RunToolbar initialInputs={{ user: 'ada' }} token={getToken} />
 *   <WorkflowCanvas graph={graph} />
 * </WorkflowProvider>
 */
export function RunToolbar({ initialInputs, className, ...control }: RunToolbarProps) {
  const runStatus = useWorkflowSelector((s) => s.runStatus);
  const stale = useWorkflowSelector((s) => s.stale);
  const executionId = useWorkflowSelector((s) => s.executionId);
  const { execute, pause, resume, cancel } = useWorkflowControl(control);
  const messages = useCanvasMessages();
  const [busy, setBusy] = useState(false);
  // The button Tab lands on: the last one focused.
  const [active, setActive] = useState(0);
  // Guards a second press before the re-render that marks the toolbar busy.
  const inFlight = useRef(false);
  // A failure belongs to the run it was about: a new execution on screen clears it. Kept as what
  // failed, not as words, so it reads in the messages of the moment.
  const [failed, setFailed] = useState<{ verb: Verb; error: string; executionId: string | null } | null>(null);
  const failure =
    failed && failed.executionId === executionId ? messages.actionFailed(messages[failed.verb], failed.error, failed.verb) : null;
  const setFailure = (verb: Verb, error: string | null) => setFailed(error === null ? null : { verb, error, executionId });
  // The execution a successful Run started, until the store names it or the wait is over.
  const [starting, setStarting] = useState<string | null>(null);
  useEffect(() => {
    if (starting === null) return;
    const timer = setTimeout(() => setStarting(null), START_WAIT_MS);
    return () => clearTimeout(timer);
  }, [starting]);
  const waiting = starting !== null && executionId !== starting;
  const live = !stale && (runStatus === 'running' || runStatus === 'paused');

  const act =
    <T,>(verb: Verb, off: boolean, fn: () => Promise<ControlResult<T>>, done?: (data: T) => void) =>
    async () => {
      if (off || inFlight.current) return;
      inFlight.current = true;
      setBusy(true);
      setFailure(verb, null);
      try {
        const result = await fn();
        if (!result.ok) setFailure(verb, result.error);
        else done?.(result.data);
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    };
  const runOff = busy || live || waiting;
  const pauseOff = busy || stale || runStatus !== 'running';
  const resumeOff = busy || stale || runStatus !== 'paused';
  const cancelOff = busy || !live;
  const started = (data: { execution_id: string } | undefined) => {
    const id = data?.execution_id;
    if (typeof id === 'string' && id) setStarting(id);
  };
  // A toolbar is one Tab stop; arrow keys, Home and End move between its buttons (WAI-ARIA toolbar pattern).
  const onToolbarKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return; // Alt+Left is the browser's Back
    const buttons = [...event.currentTarget.querySelectorAll('button')];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    const to =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? (at + 1) % buttons.length
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? (at - 1 + buttons.length) % buttons.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : -1;
    if (to < 0 || at < 0) return;
    event.preventDefault();
    buttons[to]!.focus();
  };
  const stop = (i: number) => ({ tabIndex: i === active ? 0 : -1, onFocus: () => setActive(i) });
  return (
    <div className={['fp-run-controls', className].filter(Boolean).join(' ')}>
      <div role="toolbar" aria-label={messages.toolbarLabel} aria-busy={busy} className="fp-toolbar" onKeyDown={onToolbarKey}>
        <button
          type="button"
          className="fp-toolbar__run"
          {...stop(0)}
          aria-disabled={runOff || undefined}
          onClick={act('run', runOff, () => execute(initialInputs), started)}
        >
          {messages.run}
        </button>
        <button type="button" {...stop(1)} aria-disabled={pauseOff || undefined} onClick={act('pause', pauseOff, pause)}>
          {messages.pause}
        </button>
        <button type="button" {...stop(2)} aria-disabled={resumeOff || undefined} onClick={act('resume', resumeOff, resume)}>
          {messages.resume}
        </button>
        <button
          type="button"
          className="fp-toolbar__cancel"
          {...stop(3)}
          aria-disabled={cancelOff || undefined}
          onClick={act('cancel', cancelOff, cancel)}
        >
          {messages.cancel}
        </button>
      </div>
      {/* Outside the toolbar: a toolbar holds controls, and the alert is announced on its own. */}
      {failure && (
        <p role="alert" className="fp-toolbar__error">
          {failure}
        </p>
      )}
    </div>
  );
}
