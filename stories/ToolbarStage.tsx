import { useEffect, useMemo } from 'react';
import { createWorkflowClient, WorkflowProvider, type WorkflowClient } from 'flowpulse';
import { ProgressBar, RunToolbar } from 'flowpulse/flow';
import {
  createProgressMessage,
  createRunStateMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
} from 'flowpulse/protocol';
import { forgotten } from './storyExtras';

/** Where the stage's run starts. */
export type ToolbarStageStatus = 'idle' | 'running' | 'paused' | 'completed' | 'cancelled' | 'stale';

/** Props of {@link ToolbarStage}. */
export interface ToolbarStageProps {
  status: ToolbarStageStatus;
  /** Answer every request with this error (HTTP 409) instead of acting on it. */
  failWith?: string;
  /** How long the fake server takes to answer. @default 400 */
  latencyMs?: number;
}

const WF = 'toolbar';
const order = ['fetch', 'parse', 'store'];
let serial = 0;

function start(client: WorkflowClient): string {
  const executionId = `exec-${++serial}`;
  client.store.enqueue(createWorkflowStartMessage({ workflowId: WF, executionId, executionOrder: order }));
  client.store.enqueue(createProgressMessage({ workflowId: WF, executionId, currentStep: 1, totalSteps: 3, currentNodeId: 'fetch' }));
  return executionId;
}

/**
 * `RunToolbar` over a fake REST server: its `fetch` answers after a delay and
 * moves the run the way a server would (start, pause, resume, cancel), so the
 * buttons can be tried.
 *
 * @example
 * <ToolbarStage status="running" />
 */
export function ToolbarStage({ status, failWith, latencyMs = 400 }: ToolbarStageProps) {
  const client = useMemo(() => createWorkflowClient({ workflowId: WF, batch: 'sync', stalledAfterMs: 0 }), []);
  useEffect(() => {
    client.store.reset();
    if (status === 'idle') return;
    const executionId = start(client);
    const ids = { workflowId: WF, executionId };
    if (status === 'paused') client.store.enqueue(createRunStateMessage({ ...ids, state: 'paused' }));
    if (status === 'completed') client.store.enqueue(createWorkflowCompleteMessage({ ...ids, success: true, executionTime: 2.4 }));
    if (status === 'cancelled') client.store.enqueue(createRunStateMessage({ ...ids, state: 'cancelled', reason: 'cancelled by user' }));
    if (status === 'stale') client.store.enqueue(forgotten(WF));
  }, [client, status]);
  useEffect(() => () => client.destroy(), [client]);

  const fetch = useMemo<typeof globalThis.fetch>(
    () => async (input) => {
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (failWith) return new Response(JSON.stringify({ error: failWith }), { status: 409 });
      const url = String(input);
      const executionId = client.store.getState().executionId ?? '';
      const ids = { workflowId: WF, executionId };
      if (url.endsWith('/execute')) return new Response(JSON.stringify({ execution_id: start(client) }), { status: 202 });
      if (url.endsWith('/pause')) client.store.enqueue(createRunStateMessage({ ...ids, state: 'paused' }));
      if (url.endsWith('/resume')) client.store.enqueue(createRunStateMessage({ ...ids, state: 'running' }));
      if (url.endsWith('/cancel')) client.store.enqueue(createRunStateMessage({ ...ids, state: 'cancelled', reason: 'cancelled by user' }));
      return new Response('{}', { status: 200 });
    },
    [client, failWith, latencyMs],
  );

  return (
    <WorkflowProvider workflowId={WF} client={client} enabled={false}>
      <div
        style={{
          display: 'grid',
          gap: 12,
          padding: 16,
          background: 'var(--fp-surface)',
          color: 'var(--fp-text)',
          font: '13px/1.4 var(--fp-font)',
        }}
      >
        <RunToolbar fetch={fetch} apiBaseUrl="http://fake.test" />
        <ProgressBar />
      </div>
    </WorkflowProvider>
  );
}
