import type { ConnectionState, WorkflowClient } from 'flowpulse';
import type { ServerMessage, WorkflowStartMessage } from 'flowpulse/protocol';
import type { RecordedMessage } from './recordRun';

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Playback rate. @default 1 */
  speed?: number;
  /** Start over after the end (as a new execution), after this pause in ms; `false` plays once. @default false */
  loop?: number | false;
  /** Apply everything up to this point (ms of the recording) at once, then play on. @default 0 */
  startAt?: number;
  /** Stop at `startAt`: a still picture of the run at that moment. @default false */
  paused?: boolean;
}

/** The store's default edge-flow lifetime: flows older than this at `startAt` are not replayed. */
const FLOW_LIFETIME_MS = 3000;

const OPEN: ConnectionState = { status: 'open', attempt: 0, closeCode: null, closeReason: null, why: null, nextRetryAt: null };

const withExecution = (message: ServerMessage, executionId: string): ServerMessage =>
  message.type === 'pong' ? message : ({ ...message, data: { ...message.data, execution_id: executionId } } as ServerMessage);

/**
 * Plays a recorded run into a client's store on a clock, with no server and no
 * socket: the replay transport behind the stories. The connection shows as
 * open. Returns the function that stops it.
 *
 * @example
 * const client = createWorkflowClient({ workflowId: 'orders' });
 * const stop = replay(client, recordRun(ordersGraph, { workflowId: 'orders' }), { loop: 2000 });
 */
export function replay(client: WorkflowClient, recording: readonly RecordedMessage[], options: ReplayOptions = {}): () => void {
  const { speed = 1, loop = false, startAt = 0, paused = false } = options;
  const { store } = client;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) run();
    }, ms);
    timers.add(timer);
  };
  const start = recording.find((r) => r.message.type === 'workflow_start')?.message as WorkflowStartMessage | undefined;
  const executionId = start?.data.execution_id ?? 'exec';

  const play = (round: number, from: number) => {
    const id = round === 0 ? executionId : `${executionId}-${round + 1}`;
    const send = (r: RecordedMessage) => store.enqueue(withExecution(r.message, id));
    // Fast-forwarding: flows that would have expired by `from` are left out, as a live client would have dropped them.
    const now = recording.filter((r) => r.at <= from && !(r.message.type === 'edge_flow' && r.at < from - FLOW_LIFETIME_MS));
    now.forEach(send);
    store.flush();
    if (paused) return;
    for (const r of recording) if (r.at > from) later((r.at - from) / speed, () => send(r));
    const end = recording.reduce((max, r) => Math.max(max, r.at), 0);
    if (loop !== false) later((end - from) / speed + loop, () => play(round + 1, 0));
  };

  store.setConnection(OPEN);
  play(0, startAt);
  return () => {
    stopped = true;
    timers.forEach(clearTimeout);
    timers.clear();
  };
}
