import { createSnapshotMessage, emptySnapshot } from '../protocol';
import type { ExecutionRecord, ExecutionRegistry } from './execution-registry';
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
 * messages, so that it ends up knowing what every other client knows:
 *
 * - It shows a run the server still knows: the messages after its `lastSeq`,
 *   exactly the bytes sent live, if the replay buffer holds all of them (none
 *   if it is up to date); else that run's `snapshot`. If a newer run became
 *   current meanwhile, that run's `snapshot` follows.
 * - No position, or a run the server does not know: the `snapshot` of the
 *   current run (the newest running or paused one, else the newest).
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
  const current = registry.current(workflowId);
  const shown = position.executionId === undefined ? undefined : runs.find((r) => r.executionId === position.executionId);
  if (!shown) return [frame(current ? snapshotMessage(current) : createSnapshotMessage({ snapshot: emptySnapshot(workflowId) }))];
  const frames = catchUpOn(shown, position.lastSeq, replay);
  // Runs are in start order: a client only moves on to a newer run, as it would live.
  if (current && current !== shown && runs.indexOf(current) > runs.indexOf(shown)) frames.push(frame(snapshotMessage(current)));
  return frames;
}
