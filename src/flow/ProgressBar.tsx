import { useState } from 'react';
import type { RunStatus } from '../core/state';
import { useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { formatDuration } from './format';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  className?: string;
  /** The bar's accessible name. @default 'Workflow progress' */
  label?: string;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: (nodeId: string) => string;
}

/**
 * The run's overall progress: a `role="progressbar"` bar (percent, with the step
 * and current node as its value text) and a status line,
 * `40% · step 2 of 5 · Parse`, `Paused · 40% · step 2 of 5`,
 * `Cancelled at step 2 of 5: cancelled by user`, `Completed in 5.2 s`, with
 * `· the server no longer knows this run` once it is stale. As in the spec, a
 * run that ended (even failed or cancelled) is at 100%; the text says where it stopped.
 * The status line is not live (it changes at every step); a separate, visually
 * hidden polite region announces the milestones only: run started, paused,
 * resumed, completed, failed, cancelled. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><ProgressBar /></WorkflowProvider>
 */
export function ProgressBar({ className, label = 'Workflow progress', nodeLabel }: ProgressBarProps) {
  const progress = useWorkflowSelector((s) => s.progress);
  const step = useWorkflowSelector((s) => s.currentStep);
  const total = useWorkflowSelector((s) => s.totalSteps);
  const currentNodeId = useWorkflowSelector((s) => s.currentNodeId);
  const runStatus = useWorkflowSelector((s) => s.runStatus);
  const executionTime = useWorkflowSelector((s) => s.executionTime);
  const stale = useWorkflowSelector((s) => s.stale);
  const cancelReason = useWorkflowSelector((s) => s.cancelReason);
  const executionId = useWorkflowSelector((s) => s.executionId);
  const { labelOf } = useCanvasContext();
  const name = nodeLabel ?? labelOf;

  // As the spec says, a run that ended is at 100% whatever its outcome: the bar
  // means "how much of the run is behind us"; the text says where a failure happened.
  const fill = Math.min(100, Math.max(0, progress));
  const percent = Math.round(fill);
  const parts = [`${percent}%`];
  if (total > 0) parts.push(`step ${step} of ${total}`);
  // A stale run's "current node" is only the last one we heard of, not one running now.
  const running = runStatus === 'running' && !stale ? currentNodeId : null;
  if (running) parts.push(name(running));
  let text = parts.join(' · ');
  if (runStatus === 'idle') text = 'Waiting for a run';
  else if (runStatus === 'completed') text = `Completed${executionTime === null ? '' : ` in ${formatDuration(executionTime * 1000)}`}`;
  else if (runStatus === 'failed') text = total > 0 ? `Failed at step ${step} of ${total}` : 'Failed';
  else if (runStatus === 'paused') text = `Paused · ${parts.slice(0, 2).join(' · ')}`;
  // "at step 0" says nothing: a run cancelled before its first step just says why.
  else if (runStatus === 'cancelled')
    text = `Cancelled${total > 0 && step > 0 ? ` at step ${step} of ${total}` : ''}${cancelReason ? `: ${cancelReason}` : ''}`;
  if (stale) text = `${text} · the server no longer knows this run`;

  // Announced once per change of run status (or of execution), in words of its own.
  const [said, setSaid] = useState<{ status: RunStatus; execution: string | null; text: string }>({
    status: runStatus,
    execution: executionId,
    text: '',
  });
  if (said.status !== runStatus || said.execution !== executionId) {
    const at = total > 0 && step > 0 ? ` at step ${step} of ${total}` : '';
    const resumed = said.status === 'paused' && said.execution === executionId;
    const words: Record<RunStatus, string> = {
      idle: '',
      running: resumed ? 'Run resumed' : 'Run started',
      paused: `Run paused${at}`,
      completed: `Run completed${executionTime === null ? '' : ` in ${formatDuration(executionTime * 1000)}`}`,
      failed: `Run failed${at}`,
      cancelled: `Run cancelled${at}${cancelReason ? `: ${cancelReason}` : ''}`,
    };
    setSaid({ status: runStatus, execution: executionId, text: words[runStatus] ?? '' });
  }

  const valueText = [`${percent} percent`, total > 0 ? `step ${step} of ${total}` : null, running ? `running ${name(running)}` : null]
    .filter(Boolean)
    .join(', ');

  return (
    <div className={`fp-progress fp-progress--${runStatus}${className ? ` ${className}` : ''}`}>
      <div
        className="fp-progress__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={valueText}
      >
        <div className="fp-progress__fill" style={{ width: `${fill}%` }} />
      </div>
      <p className="fp-progress__text">{text}</p>
      <p className="fp-visually-hidden" aria-live="polite" aria-atomic="true">
        {said.text}
      </p>
    </div>
  );
}
