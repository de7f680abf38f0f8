import { useEffect, useMemo } from 'react';
import { createWorkflowClient, type ConnectionState, type WorkflowClient } from 'flowpulse';
import type { RecordedMessage } from './recordRun';
import { replay, type ReplayOptions } from './replay';

const FROZEN_MS = 24 * 60 * 60 * 1000;

/** Options of {@link useReplayClient}. */
export interface UseReplayClientOptions extends ReplayOptions {
  /** A connection state to show instead of "open" (for reconnecting and closed stories). */
  connection?: ConnectionState;
  /** Store bound on log lines. @default 1000 */
  maxLogs?: number;
  /** The stalled-node watchdog's silence. @default 0 (off) for a paused replay, else 30000 */
  stalledAfterMs?: number;
}

/**
 * A client that never opens a socket, fed by {@link replay} while mounted.
 *
 * @example
 * const client = useReplayClient('orders', recording, { loop: 2000 });
 * return <WorkflowCanvas client={client} graph={ordersGraph} />;
 */
export function useReplayClient(
  workflowId: string,
  recording: readonly RecordedMessage[],
  options: UseReplayClientOptions = {},
): WorkflowClient {
  const { speed, loop, startAt, paused, connection, maxLogs, stalledAfterMs } = options;
  // A paused replay is a still picture: its edge flows stay lit instead of expiring after 3 s,
  // and its running node does not turn "Stalled" 30 s later unless a story asks for that.
  const client = useMemo(
    () =>
      createWorkflowClient({
        workflowId,
        maxLogs,
        stalledAfterMs: stalledAfterMs ?? (paused ? 0 : undefined),
        ...(paused ? { edgeFlowDurationMs: FROZEN_MS } : {}),
      }),
    [workflowId, maxLogs, paused, stalledAfterMs],
  );
  useEffect(() => {
    client.store.reset();
    const stop = replay(client, recording, { speed, loop, startAt, paused });
    if (connection) client.store.setConnection(connection);
    return stop;
  }, [client, recording, speed, loop, startAt, paused, connection]);
  useEffect(() => () => client.destroy(), [client]);
  return client;
}
