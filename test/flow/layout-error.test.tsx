/**
 * The layout code failing to load (a deploy that removed its chunk, a network error) throws nothing into
 * React: the canvas says so in an alert with Try again, the client's `onError` and `problems` hear of it,
 * and a retry that succeeds draws the graph.
 */
import './setup-react-flow';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { WorkflowCanvas } from '../../src/flow/WorkflowCanvas';
import { preloadLayout } from '../../src/flow/layoutEngine';
import type { WorkflowGraph } from '../../src/flow/types';

// The first load fails, as a missing chunk would; the next succeeds.
const chunk = vi.hoisted(() => ({ loads: 0 }));
vi.mock('../../src/flow/dagreLayout', async (importOriginal) => {
  if (++chunk.loads === 1) throw new Error('Failed to fetch dynamically imported module');
  return importOriginal();
});

const settle = () =>
  act(async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

const graph: WorkflowGraph = {
  nodes: [{ id: 'fetch' }, { id: 'store' }],
  edges: [{ source: 'fetch', target: 'store' }],
};

describe('a canvas whose layout code does not load', () => {
  it('shows an alert with Try again, reports it to onError, and draws the graph once a retry loads it', async () => {
    const onError = vi.fn();
    const client = createWorkflowClient({ workflowId: 'wf', batch: 'sync', onError });
    const view = render(
      <WorkflowProvider workflowId="wf" client={client} enabled={false}>
        <WorkflowCanvas graph={graph} />
      </WorkflowProvider>,
    );
    await settle();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The graph could not be laid out');
    expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(0);
    expect(screen.getByRole('region', { name: 'Workflow graph' }).getAttribute('aria-busy')).toBe('true');
    // No "Laying out…" under an error: nothing is loading.
    expect(view.container.querySelector('.fp-canvas__layout-status')).toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toMatchObject({ code: 'layout_error' });
    expect(client.store.getState().problems.map((p) => p.code)).toEqual(['layout_error']);
    // The rest of the canvas is there: the failure took nothing else down.
    expect(view.container.querySelector('.fp-canvas__header')).not.toBeNull();

    const retry = screen.getByRole('button', { name: 'Try again' });
    retry.focus();
    fireEvent.click(retry);
    // The alert goes as the new load starts; focus goes to the graph it will draw, not to the page.
    expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Workflow graph' }));
    // The load the button started (a call now joins it).
    await act(() => preloadLayout());
    await settle();
    expect(chunk.loads).toBe(2);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
