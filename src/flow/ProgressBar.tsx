import { useState } from 'react';
import type { RunStatus, WorkflowState } from '../core/state';
import { nodeRunState, useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import { formatDuration } from './format';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  className?: string | undefined;
  /** The bar's accessible name. @default 'Workflow progress' */
  label?: string | undefined;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: ((nodeId: string) => string) | undefined;
}

/** Said of a run the server lost, in the text beside the bar and in its value text. */
const STALE = 'the server no longer knows this run';

const finished = (s: WorkflowState, id: string) => {
  const { status } = nodeRunState(s, id);
  return status === 'completed' || status === 'error';
};

/**
 * The node working now, in a live run: the one `progress` named, unless it has
 * finished (our server names the node that just completed, a seed backend the
 * next one), in which case the first node running in execution order.
 */
function workingNode(s: WorkflowState): string | null {
  if (s.runStatus !== 'running' || s.stale) return null;
  if (s.currentNodeId !== null && !finished(s, s.currentNodeId)) return s.currentNodeId;
  return s.executionOrder.find((id) => nodeRunState(s, id).status === 'running') ?? null;
}

/**
 * The run's overall progress: a `role="progressbar"` bar (percent, with the step
 * and current node as its value text) and a status line,
 * `40% · step 2 of 5 · Parse`, `Paused · 40% · step 2 of 5`,
 * `Cancelled after 2 of 5 steps: cancelled by user`, `Failed after 2 of 5 steps`,
 * `Completed in 5.2 s`, with
 * `· the server no longer knows this run` once it is stale. As in the spec, a
 * run that ended (even failed or cancelled) is at 100%; the text says where it stopped.
 * The status line is not live (it changes at every step); a separate, visually
 * hidden polite region announces the milestones only: run started, paused,
 * resumed, completed, failed, cancelled; a run joined under way or after it
 * ended (its snapshot, on opening the page) is not announced. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123"><ProgressBar /></WorkflowProvider>
 */
export function ProgressBar({ className, label = 'Workflow progress', nodeLabel }: ProgressBarProps) {
  const progress = useWorkflowSelector((s) => s.progress);
  const step = useWorkflowSelector((s) => s.currentStep);
  const total = useWorkflowSelector((s) => s.totalSteps);
  const running = useWorkflowSelector(workingNode);
  const runStatus = useWorkflowSelector((s) => s.runStatus);
  const executionTime = useWorkflowSelector((s) => s.executionTime);
  const stale = useWorkflowSelector((s) => s.stale);
  const cancelReason = useWorkflowSelector((s) => s.cancelReason);
  const executionId = useWorkflowSelector((s) => s.executionId);
  const joined = useWorkflowSelector((s) => s.joined);
  const { labelOf } = useCanvasContext();
  const name = nodeLabel ?? labelOf;

  // As the spec says, a run that ended is at 100% whatever its outcome: the bar
  // means "how much of the run is behind us"; the text says where a failure happened.
  const fill = Math.min(100, Math.max(0, progress));
  const percent = Math.round(fill);
  const parts = [`${percent}%`];
  if (total > 0) parts.push(`step ${step} of ${total}`);
  if (running) parts.push(name(running));
  // "after 0 steps" says nothing: a run that ended before its first step just says how.
  const after = total > 0 && step > 0 ? ` after ${step} of ${total} step${total === 1 ? '' : 's'}` : '';
  let text = parts.join(' · ');
  if (runStatus === 'idle') text = 'Waiting for a run';
  else if (runStatus === 'completed') text = `Completed${executionTime === null ? '' : ` in ${formatDuration(executionTime * 1000)}`}`;
  else if (runStatus === 'failed') text = `Failed${after}`;
  else if (runStatus === 'paused') text = `Paused · ${parts.slice(0, 2).join(' · ')}`;
  else if (runStatus === 'cancelled') text = `Cancelled${after}${cancelReason ? `: ${cancelReason}` : ''}`;
  if (stale) text = `${text} · ${STALE}`;

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
      failed: `Run failed${after}`,
      cancelled: `Run cancelled${after}${cancelReason ? `: ${cancelReason}` : ''}`,
    };
    // A run first seen from a snapshot (the page joined it under way or after it ended) is the
    // starting point, not news: only what happens while watching is announced.
    const quiet = said.execution !== executionId && joined;
    setSaid({ status: runStatus, execution: executionId, text: quiet ? '' : (words[runStatus] ?? '') });
  }

  // A live run says where it is; an ended one how it ended, as the text beside it does:
  // a full bar alone would read as success to someone who cannot see its colour.
  const where = [`${percent} percent`, total > 0 ? `step ${step} of ${total}` : null];
  const live = runStatus === 'running' ? [running ? `running ${name(running)}` : null] : runStatus === 'paused' ? ['paused'] : null;
  const valueText = (live ? [...where, ...live, stale ? STALE : null] : [`${percent} percent`, text]).filter(Boolean).join(', ');

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
