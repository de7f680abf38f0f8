/**
 * One failed load of the layout code is one `layout_error` for the app, however many canvases of its
 * client wait for it, and under StrictMode's doubled effects.
 */
import './setup-react-flow';
import { act, render, screen } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { WorkflowCanvas } from '../../src/flow/WorkflowCanvas';
import type { WorkflowGraph } from '../../src/flow/types';

vi.mock('../../src/flow/dagreLayout', () => {
  throw new Error('Failed to fetch dynamically imported module');
});

const graph: WorkflowGraph = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };

describe('a failed load of the layout code', () => {
  it('is reported once per client, not once per canvas or effect', async () => {
    const onError = vi.fn();
    const other = vi.fn();
    const client = createWorkflowClient({ workflowId: 'wf', batch: 'sync', onError });
    const otherClient = createWorkflowClient({ workflowId: 'wf', batch: 'sync', onError: other });
    render(
      <StrictMode>
        <WorkflowProvider workflowId="wf" client={client} enabled={false}>
          <WorkflowCanvas graph={graph} />
          <WorkflowCanvas graph={graph} />
        </WorkflowProvider>
        <WorkflowProvider workflowId="wf" client={otherClient} enabled={false}>
          <WorkflowCanvas graph={graph} />
        </WorkflowProvider>
      </StrictMode>,
    );
    await act(async () => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(screen.getAllByRole('alert')).toHaveLength(3);
    expect(onError.mock.calls.map(([e]) => e.code)).toEqual(['layout_error']);
    expect(client.store.getState().problems).toHaveLength(1);
    // Another client (another part of the app) hears of it too.
    expect(other.mock.calls.map(([e]) => e.code)).toEqual(['layout_error']);
  });
});
