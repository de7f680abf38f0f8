import { useState } from 'react';
import { useWorkflowControl, useWorkflowSelector, type UseWorkflowControlOptions } from '../react';

/** Props of {@link RunToolbar}. */
export interface RunToolbarProps extends UseWorkflowControlOptions {
  /** Sent as `initial_inputs` by Run. @default {} */
  initialInputs?: Record<string, unknown>;
  className?: string;
}

/**
 * Run, Pause, Resume and Cancel for the workflow of the nearest
 * `WorkflowProvider`, each enabled only when it makes sense: Run when no run
 * is live, Pause while running, Resume while paused, Cancel while live. The
 * request in flight disables the toolbar; failures reach `onError`.
 *
 * @example
 * <WorkflowProvider workflowId="123" baseUrl="ws://localhost:8000">
 *   <RunToolbar initialInputs={{ user: 'ada' }} />
 *   <WorkflowCanvas graph={graph} />
 * </WorkflowProvider>
 */
export function RunToolbar({ initialInputs, className, ...control }: RunToolbarProps) {
  const runStatus = useWorkflowSelector((s) => s.runStatus);
  const stale = useWorkflowSelector((s) => s.stale);
  const { execute, pause, resume, cancel } = useWorkflowControl(control);
  const [busy, setBusy] = useState(false);
  const live = !stale && (runStatus === 'running' || runStatus === 'paused');
  const act = (fn: () => Promise<unknown>) => async () => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div role="toolbar" aria-label="Run controls" className={['fp-toolbar', className].filter(Boolean).join(' ')}>
      <button type="button" className="fp-toolbar__run" disabled={busy || live} onClick={act(() => execute(initialInputs))}>
        Run
      </button>
      <button type="button" disabled={busy || runStatus !== 'running' || stale} onClick={act(pause)}>
        Pause
      </button>
      <button type="button" disabled={busy || runStatus !== 'paused' || stale} onClick={act(resume)}>
        Resume
      </button>
      <button type="button" disabled={busy || !live} onClick={act(cancel)}>
        Cancel
      </button>
    </div>
  );
}
