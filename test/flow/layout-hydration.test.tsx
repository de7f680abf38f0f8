/**
 * A page that calls preloadLayout() at start (as the README advises) and hydrates server-rendered
 * HTML of a canvas with nodes to lay out: the server rendered the waiting canvas (it has no layout
 * code), so hydration must render that too, and lay out right after, not mismatch.
 */
import './setup-react-flow';
import { act } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { hydrateRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { WorkflowCanvas } from '../../src/flow/WorkflowCanvas';
import { preloadLayout } from '../../src/flow/layoutEngine';

const graph = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };

describe('hydration with the layout engine preloaded', () => {
  it('hydrates the server HTML without a mismatch', async () => {
    const app = (
      <WorkflowProvider workflowId="wf" client={createWorkflowClient({ workflowId: 'wf', batch: 'sync' })} enabled={false}>
        <div style={{ width: 800, height: 600 }}>
          <WorkflowCanvas graph={graph} showLogs={false} showMetrics={false} />
        </div>
      </WorkflowProvider>
    );
    const container = document.createElement('div');
    container.innerHTML = renderToString(app); // what the server sent: engine not loaded there
    document.body.appendChild(container);
    await preloadLayout(); // the page's `void preloadLayout()` at start, done before hydration
    const errors: string[] = [];
    await act(async () => {
      hydrateRoot(container, app, { onRecoverableError: (e) => errors.push(String((e as Error).message ?? e)) });
    });
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(errors).toEqual([]);
    // and the nodes are laid out right after hydration
    expect(container.querySelectorAll('.react-flow__node')).toHaveLength(2);
    expect(container.querySelector('[aria-busy]')).toBeNull();
  });
});
