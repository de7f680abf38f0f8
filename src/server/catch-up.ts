import { createSnapshotMessage, emptySnapshot } from '../protocol';
import { isLiveStatus, type ExecutionRecord, type ExecutionRegistry } from './execution-registry';
import type { ReplayStore } from './replay-store';
import { snapshotMessage } from './snapshot';

/**
 * Where a connecting client is: the execution it shows and the last `seq`
 * it applied (from the socket URL's `?execution_id=…&last_seq=…`).
 *
 * @example
 * const position: ClientPosition = { executionId: 'e1', lastSeq: 42 };
 */
export interface ClientPosition {
  executionId?: string | undefined;
  lastSeq?: number | undefined;
}

const frame = (message: unknown) => Buffer.from(JSON.stringify(message));

/** One execution's catch-up from `lastSeq`: the missed messages if all are held, else its snapshot. */
function catchUpOn(record: ExecutionRecord, lastSeq: number | undefined, replay: ReplayStore | undefined): Buffer[] {
  if (lastSeq !== undefined) {
    if (lastSeq === record.lastSeq) return [];
    const missed = lastSeq < record.lastSeq ? replay?.since(record.executionId, lastSeq) : undefined;
    if (missed) return missed;
  }
  return [frame(snapshotMessage(record))];
}

/**
 * The frames a client joining a workflow's channel must get before live
 * messages, so that it ends up showing what a client connected all along
 * shows, the newest run, and knows every other live run as an older one:
 *
 * - It shows a run the server still knows: the messages after its `lastSeq`,
 *   exactly the bytes sent live, if the replay buffer holds all of them (none
 *   if it is up to date); else that run's `snapshot`.
 * - No position, or a run the server does not know: nothing of that run.
 * - Then, oldest first, the `snapshot` of every other live run and, unless
 *   it is the run shown, of the newest run, live or finished. A client files
 *   a run older than the one it shows as past (its messages are then never
 *   taken for a newer run's), and moves on to a newer one, as it would live.
 * - The server knows no run of the workflow: a `snapshot` with
 *   `execution_id: null` (a client showing a live run marks it stale).
 *
 * The caller must subscribe the socket and send these in the same
 * synchronous step: messages are appended to the replay buffer and
 * broadcast in one step too, so nothing is missed or sent twice.
 *
 * @example
 * manager.connect(ws, workflowId);
 * manager.sendCatchUp(ws, catchUpFrames(workflowId, { executionId, lastSeq }, registry, replay));
 */
export function catchUpFrames(workflowId: string, position: ClientPosition, registry: ExecutionRegistry, replay?: ReplayStore): Buffer[] {
  const runs = registry.runs(workflowId);
  const newest = runs.at(-1);
  if (!newest) return [frame(createSnapshotMessage({ snapshot: emptySnapshot(workflowId) }))];
  const shown = position.executionId === undefined ? undefined : runs.find((r) => r.executionId === position.executionId);
  const frames = shown ? catchUpOn(shown, position.lastSeq, replay) : [];
  for (const run of runs) {
    if (run !== shown && (run === newest || isLiveStatus(run.status))) frames.push(frame(snapshotMessage(run)));
  }
  return frames;
}
