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
