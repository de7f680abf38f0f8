import type { NodeRunState } from '../core/state';
import { Dialog } from './Dialog';
import { formatDuration, formatValue } from './format';

/** Props of {@link NodeErrorDialog}. */
export interface NodeErrorDialogProps {
  nodeId: string;
  label: string;
  run: NodeRunState;
  onClose: () => void;
  /** Extra class on the dialog, e.g. `fp-dark`. */
  className?: string;
}

/**
 * The details of a failed node: its error message, id, the time it failed,
 * how long it ran and its result.
 *
 * @example
 * {open && <NodeErrorDialog nodeId="fetch" label="Fetch" run={run} onClose={() => setOpen(false)} />}
 */
export function NodeErrorDialog({ nodeId, label, run, onClose, className }: NodeErrorDialogProps) {
  return (
    <Dialog title={`${label} failed`} onClose={onClose} className={className}>
      <p className="fp-dialog__message">{run.error || 'No error message was given.'}</p>
      <dl className="fp-dialog__facts">
        <dt>Node</dt>
        <dd>
          <code>{nodeId}</code>
        </dd>
        <dt>Failed at</dt>
        <dd>
          {run.finishedAt === undefined ? (
            'unknown'
          ) : (
            <time dateTime={new Date(run.finishedAt).toISOString()}>{new Date(run.finishedAt).toLocaleString()}</time>
          )}
        </dd>
        {run.durationMs !== undefined && (
          <>
            <dt>Ran for</dt>
            <dd>{formatDuration(run.durationMs)}</dd>
          </>
        )}
        <dt>Result</dt>
        <dd>
          {run.resultRef ? (
            <span>
              Too large to stream; stored at <code>{run.resultRef}</code>
            </span>
          ) : (
            <pre className="fp-dialog__result">{formatValue(run.result)}</pre>
          )}
        </dd>
      </dl>
    </Dialog>
  );
}
