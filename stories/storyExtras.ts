import { useEffect } from 'react';
import type { WorkflowClient } from 'flowpulse';
import {
  createMetricsMessage,
  createRunStateMessage,
  createSnapshotMessage,
  createWorkflowCompleteMessage,
  isoTimestamp,
  type MetricsData,
  type SnapshotMessage,
  emptySnapshot,
} from 'flowpulse/protocol';

/** What a story adds on top of a replayed run. */
export interface StoryExtras {
  /** A `run_state` sent after the replay's start: paused, or cancelled with a reason. */
  runState?: { state: 'paused' | 'cancelled'; reason?: string };
  /** When the run state changes, on the recording's clock (durations are measured from it). */
  at?: Date;
  /** The server forgot the run: a snapshot with no execution follows the replay. */
  stale?: boolean;
  /** Feed `metrics` samples: a history at once, then one a second. */
  metrics?: boolean;
}

/**
 * What a restarted server sends: a snapshot saying it knows no run of this workflow.
 *
 * @example
 * client.store.enqueue(forgotten('orders')); // the run on screen becomes stale
 */
export function forgotten(workflowId: string): SnapshotMessage {
  return createSnapshotMessage({ snapshot: emptySnapshot(workflowId) });
}

/**
 * A deterministic, plausible server-health sample for tick `i`.
 *
 * @example
 * createMetricsMessage({ metrics: metricsSample(3) });
 */
export function metricsSample(i: number): MetricsData {
  const wave = Math.sin(i / 4);
  return {
    cpu_percent: Math.max(0, 18 + 12 * wave + ((i * 7) % 5)),
    rss_mb: 92 + i * 0.4 + 3 * wave,
    heap_used_mb: 31 + ((i * 3) % 11) + 2 * wave,
    event_loop_delay_p99_ms: 1.2 + Math.abs(wave) * 3 + (i % 9 === 0 ? 6 : 0),
    active_executions: 1 + (i % 7 === 0 ? 1 : 0),
    connected_clients: 3 + (i % 13 === 0 ? 1 : 0),
  };
}

/**
 * Applies {@link StoryExtras} to a replay client, after the replay's own
 * effect (declare it after `useReplayClient`). `executionId` is the replayed run's.
 *
 * @example
 * const client = useReplayClient('story', recording, { startAt: 2600, paused: true });
 * useStoryExtras(client, 'story', 'exec-1', { stale: true });
 */
export function useStoryExtras(client: WorkflowClient, workflowId: string, executionId: string, extras: StoryExtras): void {
  const { runState, stale, metrics, at } = extras;
  const time = at?.getTime();
  const state = runState?.state;
  const reason = runState?.reason;
  useEffect(() => {
    const { store } = client;
    const timestamp = time === undefined ? undefined : isoTimestamp(new Date(time));
    if (state) store.enqueue(createRunStateMessage({ workflowId, executionId, state, reason: reason ?? null, timestamp }));
    // As the server does: a cancel aborts the running nodes and ends the run.
    if (state === 'cancelled')
      store.enqueue(createWorkflowCompleteMessage({ workflowId, executionId, success: false, executionTime: 3.1, timestamp }));
    if (stale) store.enqueue(forgotten(workflowId));
    store.flush();
  }, [client, workflowId, executionId, state, reason, stale, time]);

  useEffect(() => {
    if (!metrics) return;
    let tick = 0;
    for (; tick < 40; tick++) client.store.enqueue(createMetricsMessage({ metrics: metricsSample(tick) }));
    client.store.flush();
    const timer = setInterval(() => client.store.enqueue(createMetricsMessage({ metrics: metricsSample(tick++) })), 1000);
    return () => clearInterval(timer);
  }, [client, metrics]);
}
