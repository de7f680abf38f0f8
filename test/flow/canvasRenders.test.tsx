import './setup-react-flow';
import { act, fireEvent, render } from '@testing-library/react';
import type { ReactFlowInstance } from '@xyflow/react';
import { describe, expect, it, vi } from 'vitest';
import { WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { msg, settle, testClient, withClient } from './helpers';

// ProgressBar, ErrorBanner and LogPanel read the canvas context once per render: count those reads.
const reads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/flow/canvasContext', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/flow/canvasContext')>();
  return {
    ...actual,
    useCanvasContext: () => {
      reads.count++;
      return actual.useCanvasContext();
    },
  };
});

const graph: WorkflowGraph = {
  nodes: [{ id: 'fetch', label: 'Fetch' }, { id: 'parse', label: 'Parse' }, { id: 'store' }],
  edges: [
    { source: 'fetch', target: 'parse' },
    { source: 'parse', target: 'store' },
  ],
};

async function canvas(showLogs: boolean) {
  const client = testClient();
  const onInit = vi.fn<(i: ReactFlowInstance) => void>();
  const view = render(
    withClient(
      client,
      <div style={{ height: 700 }}>
        <WorkflowCanvas graph={graph} showLogs={showLogs} flowProps={{ onInit }} />
      </div>,
    ),
  );
  await settle();
  act(() => {
    client.store.enqueue(msg.start(['fetch', 'parse', 'store']));
    client.store.enqueue(msg.error('timeout', 'parse'));
    client.store.enqueue(msg.log('hello', 'info', 'parse'));
  });
  await settle();
  const instance = onInit.mock.calls[0]?.[0] as ReactFlowInstance;
  const wrapper = (id: string) => view.container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement;
  return { instance, wrapper, view };
}

describe('the canvas panels and React Flow’s own changes', () => {
  it('dragging a node re-renders no panel, the log panel included', async () => {
    const { instance } = await canvas(true);
    expect(reads.count).toBeGreaterThan(0);
    reads.count = 0;
    for (const x of [10, 20, 30]) {
      act(() => instance.setNodes((nodes) => nodes.map((n) => (n.id === 'parse' ? { ...n, position: { x, y: 300 } } : n))));
      await settle();
    }
    expect(instance.getNode('parse')?.position).toEqual({ x: 30, y: 300 });
    expect(reads.count).toBe(0);
  });

  it('selecting a node re-renders the log panel alone', async () => {
    const { wrapper } = await canvas(false);
    reads.count = 0;
    fireEvent.click(wrapper('parse'));
    await settle();
    expect(wrapper('parse').classList.contains('selected')).toBe(true);
    // Without the log panel, nothing that reads the context follows the selection.
    expect(reads.count).toBe(0);

    const withLogs = await canvas(true);
    reads.count = 0;
    fireEvent.click(withLogs.view.container.querySelectorAll('.react-flow__node[data-id="fetch"]')[0] as HTMLElement);
    await settle();
    expect(reads.count).toBeGreaterThan(0);
  });
});
