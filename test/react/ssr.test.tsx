// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';

describe('server-side rendering', () => {
  it('imports and renders without a window or a socket', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { WorkflowProvider, useWorkflowWebSocket, useNodeStatus } = await import('flowpulse');
    function View() {
      const { progress, isConnected, connectionState } = useWorkflowWebSocket();
      const { status } = useNodeStatus('node1');
      return <p>{`${progress}% ${isConnected} ${connectionState.status} ${status}`}</p>;
    }
    const html = renderToString(
      <WorkflowProvider workflowId="123">
        <View />
      </WorkflowProvider>,
    );
    expect(html).toBe('<p>0% false closed pending</p>');
  });
});

describe('server-side rendering of the canvas (what Next.js does with a client component first)', () => {
  it('renders the canvas and its panels without a window; nodes come with hydration, as React Flow needs their size', async () => {
    const { WorkflowCanvas } = await import('flowpulse/flow');
    const positioned = [{ id: 'fetch', position: { x: 0, y: 0 }, data: { label: 'Fetch' } }];
    const html = renderToString(<WorkflowCanvas workflowId="123" nodes={positioned} />);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-label="Workflow graph"');
    expect(html).toContain('No log lines yet.');
    const laidOut = renderToString(<WorkflowCanvas workflowId="123" graph={{ nodes: [{ id: 'a' }], edges: [] }} />);
    expect(laidOut).toContain('aria-busy="true"');
  });
});
