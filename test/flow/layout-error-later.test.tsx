/**
 * A load of the layout code that failed earlier (a network blip while another canvas was open) does not
 * leave a canvas mounted later broken: it tries once more, showing no alert meanwhile.
 */
import './setup-react-flow';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { WorkflowCanvas } from '../../src/flow/WorkflowCanvas';
import { preloadLayout } from '../../src/flow/layoutEngine';
import type { WorkflowGraph } from '../../src/flow/types';

// The first load fails, as a dropped connection would; the next succeeds.
const chunk = vi.hoisted(() => ({ loads: 0 }));
vi.mock('../../src/flow/dagreLayout', async (importOriginal) => {
  if (++chunk.loads === 1) throw new Error('Failed to fetch dynamically imported module');
  return importOriginal();
});

const settle = () =>
  act(async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

const graph: WorkflowGraph = { nodes: [{ id: 'fetch' }, { id: 'store' }], edges: [{ source: 'fetch', target: 'store' }] };
const canvas = () => (
  <WorkflowProvider workflowId="wf" client={createWorkflowClient({ workflowId: 'wf', batch: 'sync' })} enabled={false}>
    <WorkflowCanvas graph={graph} />
  </WorkflowProvider>
);

describe('a canvas mounted after an earlier failed load', () => {
  it('tries once more instead of showing the old failure, and draws the graph', async () => {
    const first = render(canvas());
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('The graph could not be laid out');
    first.unmount();

    const later = render(canvas());
    // The old failure is not this canvas's: no alert, the graph waits for the new load instead.
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('region', { name: 'Workflow graph' }).getAttribute('aria-busy')).toBe('true');
    // The canvas loads the code again by itself; then (a call now joins that load) draws the graph.
    await settle();
    expect(chunk.loads).toBe(2);
    await act(() => preloadLayout());
    await settle();
    expect(later.container.querySelectorAll('.react-flow__node')).toHaveLength(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
