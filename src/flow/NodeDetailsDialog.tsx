import type { NodeRunState } from '../core/state';
import type { UseWorkflowControlOptions } from '../control';
import { useCanvasContext } from './canvasContext';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { Dialog } from './Dialog';
import { formatDuration } from './format';
import { NodeResult } from './NodeResult';
import { StatusBadge } from './StatusBadge';

/** Props of {@link NodeDetailsDialog}. */
export interface NodeDetailsDialogProps {
  nodeId: string;
  label: string;
  run: NodeRunState;
  onClose: () => void;
  /** Extra class on the dialog. It follows the canvas's palette by itself. */
  className?: string | undefined;
  /** REST options for fetching a large result. @default the canvas's `control` */
  control?: UseWorkflowControlOptions | undefined;
  /** Characters of the result shown before "Show all". @default 20000 */
  resultLimit?: number | undefined;
  /** The node has been reset since (a new run started): `run` is the earlier run's, and the dialog says so. @default false */
  outdated?: boolean | undefined;
  /** Where focus goes on close if what had it before is gone. See {@link Dialog}. */
  returnFocusTo?: (() => HTMLElement | null | undefined) | undefined;
}

function When({ time }: { time: number | undefined }) {
  const messages = useCanvasMessages();
  if (time === undefined) return <>{messages.detailsTimeUnknown}</>;
  return <time dateTime={new Date(time).toISOString()}>{messages.dateTime(time)}</time>;
}

/**
 * The details of a finished node: its status, error message (if it failed),
 * id, start and end times, how long it ran, and its full result, pretty-printed
 * and bounded. A result sent as a `resultRef` is fetched over HTTP, with its
 * loading and error states. `StatusNode` opens it from its status badge, on
 * Enter, or on a double click.
 *
 * @example
 * {open && <NodeDetailsDialog nodeId="fetch" label="Fetch" run={run} onClose={() => setOpen(false)} />}
 */
export function NodeDetailsDialog({
  nodeId,
  label,
  run,
  onClose,
  className,
  control,
  resultLimit,
  outdated = false,
  returnFocusTo,
}: NodeDetailsDialogProps) {
  const canvas = useCanvasContext();
  const messages = useCanvasMessages();
  const failed = run.status === 'error';
  const tone = failed ? 'fp-dialog--error' : `fp-dialog--${run.status}`;
  // The canvas's own dark palette (colorMode, or `fp-dark` in its className) as a class; whatever else
  // themes the node (a wrapper, the page, an app's own dark React Flow) the dialog copies (`themeFrom`).
  const dark = !!canvas.dark;
  return (
    <Dialog
      title={messages.detailsTitle(label, run.status)}
      onClose={onClose}
      className={[tone, dark && 'fp-dark', className].filter(Boolean).join(' ')}
      returnFocusTo={returnFocusTo}
      themeFrom={returnFocusTo}
    >
      {outdated && <p className="fp-dialog__note">{messages.detailsOutdated}</p>}
      {failed && <p className="fp-dialog__message">{run.error || messages.detailsNoError}</p>}
      <dl className="fp-dialog__facts">
        <dt>{messages.detailsStatus}</dt>
        <dd>
          <StatusBadge status={run.status} />
        </dd>
        <dt>{messages.detailsNode}</dt>
        <dd>
          <code>{nodeId}</code>
        </dd>
        <dt>{failed ? messages.detailsFailedAt : messages.detailsFinishedAt}</dt>
        <dd>
          <When time={run.finishedAt} />
        </dd>
        <dt>{messages.detailsStartedAt}</dt>
        <dd>
          <When time={run.startedAt} />
        </dd>
        {run.durationMs !== undefined && (
          <>
            <dt>{messages.detailsRanFor}</dt>
            <dd>{formatDuration(run.durationMs, messages)}</dd>
          </>
        )}
        <dt>{messages.detailsResult}</dt>
        <dd>
          <NodeResult nodeId={nodeId} run={run} control={control ?? canvas.control} limit={resultLimit} />
        </dd>
      </dl>
    </Dialog>
  );
}
