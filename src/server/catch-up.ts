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
 *   if it is up to date); else that run's `snapshot`. Then, oldest first, the
 *   `snapshot` of every live run started after it and of the newest run, live
 *   or finished: the client moves on to each, as it would live, and files the
 *   one before as past. (Older live runs it knows as past already.)
 * - It shows a run the server does not know (it restarted): a `snapshot` with
 *   `execution_id: null` first, so that run is marked stale and no clock of
 *   the old server is compared with the new one's; then as for no position.
 * - No position (a page load): the `snapshot` of every live run and of the
 *   newest run, oldest first. A client files a run older than the one it
 *   shows as past, so its later messages never pass for a newer run's.
 * - The snapshots of runs the client moves past (all but the newest run's)
 *   are summaries (no log lines, results by `result_ref`): it shows only the
 *   newest, and a page opened on a workflow with twenty busy runs would
 *   otherwise load twenty runs' logs.
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
  const forgotten = frame(createSnapshotMessage({ snapshot: emptySnapshot(workflowId) }));
  if (!newest) return [forgotten];
  const shown = position.executionId === undefined ? undefined : runs.find((r) => r.executionId === position.executionId);
  const frames = shown ? catchUpOn(shown, position.lastSeq, replay) : position.executionId === undefined ? [] : [forgotten];
  for (const run of runs.slice(shown ? runs.indexOf(shown) + 1 : 0)) {
    if (run === newest) frames.push(frame(snapshotMessage(run)));
    else if (isLiveStatus(run.status)) frames.push(frame(snapshotMessage(run, { summary: true })));
  }
  return frames;
}
