import { NodeDetailsDialog, type NodeDetailsDialogProps } from './NodeDetailsDialog';

/** Props of {@link NodeErrorDialog}: those of {@link NodeDetailsDialog}. */
export type NodeErrorDialogProps = NodeDetailsDialogProps;

/**
 * The details of a failed node. Kept for compatibility: it is
 * {@link NodeDetailsDialog}, which now serves every finished node.
 *
 * @example
 * {open && <NodeErrorDialog nodeId="fetch" label="Fetch" run={run} onClose={() => setOpen(false)} />}
 */
export function NodeErrorDialog(props: NodeErrorDialogProps) {
  return <NodeDetailsDialog {...props} />;
}
