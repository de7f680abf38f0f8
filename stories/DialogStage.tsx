import { useMemo, useState } from 'react';
import { createWorkflowClient, WorkflowProvider, type NodeRunState } from 'flowpulse';
import { NodeDetailsDialog } from 'flowpulse/flow';

/** Which node the dialog shows. */
export type DialogStageKind = 'completed' | 'failed' | 'large-inline' | 'result-ref' | 'result-ref-fails';

/** Props of {@link DialogStage}. */
export interface DialogStageProps {
  kind: DialogStageKind;
  /** The fake server's answer time for a `resultRef`. @default 800 */
  latencyMs?: number;
}

const t0 = Date.UTC(2025, 10, 13, 1, 30, 0);

/** A result of about `rows` × 90 characters of JSON. */
const bigResult = (rows: number) => ({
  rows: Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    sku: `SKU-${(i * 7919) % 100000}`,
    qty: (i % 9) + 1,
    price: ((i * 37) % 1000) / 10,
  })),
});

/** A node whose result was too large for the stream: fetched over HTTP when the dialog opens. */
const BY_REFERENCE: NodeRunState = {
  status: 'completed',
  result: undefined,
  resultRef: '/api/workflows/orders/executions/exec-1/nodes/price/result',
  startedAt: t0,
  finishedAt: t0 + 9100,
  durationMs: 9100,
};

const RUNS: Record<DialogStageKind, NodeRunState> = {
  completed: { status: 'completed', result: { rows: 128, currency: 'EUR' }, startedAt: t0, finishedAt: t0 + 1840, durationMs: 1840 },
  failed: {
    status: 'error',
    error: 'HTTP 503 from orders API after 3 retries',
    result: { attempts: 3, lastStatus: 503 },
    startedAt: t0,
    finishedAt: t0 + 30_000,
    durationMs: 30_000,
  },
  'large-inline': { status: 'completed', result: bigResult(600), startedAt: t0, finishedAt: t0 + 5200, durationMs: 5200 },
  'result-ref': BY_REFERENCE,
  // The same node; the fake server fails this time.
  'result-ref-fails': BY_REFERENCE,
};

/**
 * `NodeDetailsDialog` for one node, open at first, with a button to open it
 * again. A `resultRef` is answered by a fake `fetch` after `latencyMs`.
 *
 * @example
 * <DialogStage kind="result-ref" />
 */
export function DialogStage({ kind, latencyMs = 800 }: DialogStageProps) {
  const [open, setOpen] = useState(true);
  const run = RUNS[kind];
  const client = useMemo(() => {
    const c = createWorkflowClient({ workflowId: 'orders', batch: 'sync', stalledAfterMs: 0 });
    // fetchResult reads the node's resultRef from the store.
    c.store.setState({ nodeStatuses: { price: run } });
    return c;
  }, [run]);
  const control = useMemo(
    () => ({
      apiBaseUrl: 'http://fake.test',
      fetch: async () => {
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        return kind === 'result-ref-fails'
          ? new Response(JSON.stringify({ error: 'result expired' }), { status: 410 })
          : new Response(JSON.stringify(bigResult(400)), { status: 200 });
      },
    }),
    [kind, latencyMs],
  );
  return (
    <WorkflowProvider workflowId="orders" client={client} enabled={false}>
      <div style={{ padding: 16, font: '13px/1.4 var(--fp-font)' }}>
        <button type="button" className="fp-button" onClick={() => setOpen(true)}>
          Show details of Price lines
        </button>
        {open && <NodeDetailsDialog nodeId="price" label="Price lines" run={run} control={control} onClose={() => setOpen(false)} />}
      </div>
    </WorkflowProvider>
  );
}
