import { useState } from 'react';
import type { RunStatus, WorkflowState } from '../core/state';
import { nodeRunState, useWorkflowSelector } from '../react';
import { useCanvasContext } from './canvasContext';
import type { CanvasMessages } from './canvasMessages';
import { useCanvasMessages } from './CanvasMessagesProvider';

/** Props of {@link ProgressBar}. */
export interface ProgressBarProps {
  className?: string | undefined;
  /** The bar's accessible name. @default 'Workflow progress' (the messages' `progressLabel`) */
  label?: string | undefined;
  /** A node's label; inside `WorkflowCanvas` the graph's labels are used. */
  nodeLabel?: ((nodeId: string) => string) | undefined;
}

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

/** What the bar shows, from the store: {@link describeProgress}'s input. */
interface ProgressSeen {
  progress: number;
  step: number;
  total: number;
  /** The label of the node working now, in a live run. */
  running: string | null;
  runStatus: RunStatus;
  executionTime: number | null;
  stale: boolean;
  cancelReason: string | null;
}

/** Where an ended run stopped, `after 2 of 5 steps`; "after 0 steps" says nothing, so a run that ended before its first step just says how. */
const stoppedAfter = (p: ProgressSeen, m: CanvasMessages) => (p.total > 0 && p.step > 0 ? m.afterSteps(p.step, p.total) : null);

const runDuration = (p: ProgressSeen, m: CanvasMessages) => (p.executionTime === null ? null : m.duration(p.executionTime * 1000));

/**
 * The bar's words, in those of `m`: the status line beside it and its value text. The fill and
 * percent too: as the spec says, a run that ended is at 100% whatever its outcome; the bar means
 * "how much of the run is behind us", and the text says where a failure happened.
 */
function describeProgress(p: ProgressSeen, m: CanvasMessages): { fill: number; percent: number; text: string; valueText: string } {
  const fill = Math.min(100, Math.max(0, p.progress));
  const percent = Math.round(fill);
  const parts = [m.percent(percent)];
  if (p.total > 0) parts.push(m.stepOf(p.step, p.total));
  if (p.running !== null) parts.push(p.running);
  const after = stoppedAfter(p, m);
  let text = parts.join(' · ');
  if (p.runStatus === 'idle') text = m.progressWaiting;
  else if (p.runStatus === 'completed') text = m.progressCompleted(runDuration(p, m));
  else if (p.runStatus === 'failed') text = m.progressFailed(after);
  else if (p.runStatus === 'paused') text = m.progressPaused(parts.slice(0, 2).join(' · '));
  else if (p.runStatus === 'cancelled') text = m.progressCancelled(after, p.cancelReason || null);
  if (p.stale) text = `${text} · ${m.progressStale}`;

  // A live run says where it is; an ended one how it ended, as the text beside it does:
  // a full bar alone would read as success to someone who cannot see its colour.
  const spoken = m.percentSpoken(percent);
  const where = [spoken, p.total > 0 ? m.stepOf(p.step, p.total) : null];
  const live =
    p.runStatus === 'running'
      ? [p.running !== null ? m.progressRunningNode(p.running) : null]
      : p.runStatus === 'paused'
        ? [m.progressPausedSpoken]
        : null;
  const valueText = (live ? [...where, ...live, p.stale ? m.progressStale : null] : [spoken, text]).filter(Boolean).join(', ');
  return { fill, percent, text, valueText };
}

/** What the polite region says as the run reaches `p.runStatus`. */
function announcement(p: ProgressSeen, resumed: boolean, m: CanvasMessages): string {
  const after = stoppedAfter(p, m);
  switch (p.runStatus) {
    case 'idle':
      return '';
    case 'running':
      return resumed ? m.runResumed : m.runStarted;
    case 'paused':
      return m.runPaused(p.total > 0 && p.step > 0 ? m.stepOf(p.step, p.total) : null);
    case 'completed':
      return m.runCompleted(runDuration(p, m));
    case 'failed':
      return m.runFailed(after);
    case 'cancelled':
      return m.runCancelled(after, p.cancelReason || null);
    default:
      return '';
  }
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
export function ProgressBar({ className, label, nodeLabel }: ProgressBarProps) {
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
  const messages = useCanvasMessages();
  const name = nodeLabel ?? labelOf;
  const seen: ProgressSeen = {
    progress,
    step,
    total,
    running: running === null ? null : name(running),
    runStatus,
    executionTime,
    stale,
    cancelReason,
  };
  const { percent, fill, text, valueText } = describeProgress(seen, messages);

  // Announced once per change of run status (or of execution), in words of its own.
  const [said, setSaid] = useState<{ status: RunStatus; execution: string | null; text: string }>({
    status: runStatus,
    execution: executionId,
    text: '',
  });
  if (said.status !== runStatus || said.execution !== executionId) {
    const resumed = said.status === 'paused' && said.execution === executionId;
    // A run first seen from a snapshot (the page joined it under way or after it ended) is the
    // starting point, not news: only what happens while watching is announced.
    const quiet = said.execution !== executionId && joined;
    setSaid({ status: runStatus, execution: executionId, text: quiet ? '' : announcement(seen, resumed, messages) });
  }

  return (
    <div className={`fp-progress fp-progress--${runStatus}${className ? ` ${className}` : ''}`}>
      <div
        className="fp-progress__track"
        role="progressbar"
        aria-label={label ?? messages.progressLabel}
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
