import { useState } from 'react';
import type { ControlResult } from '../core/control';
import { useWorkflowControl, useWorkflowSelector, type UseWorkflowControlOptions } from '../react';

/** Props of {@link RunToolbar}: REST options (`token`, `fetch`, `apiBaseUrl`) and what Run sends. */
export interface RunToolbarProps extends UseWorkflowControlOptions {
  /** Sent as `initial_inputs` by Run. @default {} */
  initialInputs?: Record<string, unknown>;
  className?: string;
}

type Verb = 'Run' | 'Pause' | 'Resume' | 'Cancel';

/**
 * Run, Pause, Resume and Cancel for the workflow of the nearest
 * `WorkflowProvider`, each enabled only when it makes sense: Run when no run
 * is live (or the server forgot it: stale), Pause while running, Resume while
 * paused, Cancel while running or paused; never Pause, Resume or Cancel on a
 * stale run. The toolbar is disabled and `aria-busy` while a request is in
 * flight; a failure is shown beside the buttons (`role="alert"`) and reaches
 * the client's `onError`.
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
  const { execute, pause, resume, cancel } = useWorkflowControl(control);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const live = !stale && (runStatus === 'running' || runStatus === 'paused');
  const act = (verb: Verb, fn: () => Promise<ControlResult<unknown>>) => async () => {
    setBusy(true);
    setFailure(null);
    try {
      const result = await fn();
      if (!result.ok) setFailure(`${verb} failed: ${result.error ?? `HTTP ${result.status}`}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={['fp-run-controls', className].filter(Boolean).join(' ')}>
      <div role="toolbar" aria-label="Run controls" aria-busy={busy} className="fp-toolbar">
        <button type="button" className="fp-toolbar__run" disabled={busy || live} onClick={act('Run', () => execute(initialInputs))}>
          Run
        </button>
        <button type="button" disabled={busy || stale || runStatus !== 'running'} onClick={act('Pause', pause)}>
          Pause
        </button>
        <button type="button" disabled={busy || stale || runStatus !== 'paused'} onClick={act('Resume', resume)}>
          Resume
        </button>
        <button type="button" className="fp-toolbar__cancel" disabled={busy || !live} onClick={act('Cancel', cancel)}>
          Cancel
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
