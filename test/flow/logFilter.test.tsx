import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactFlowInstance } from '@xyflow/react';
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient } from 'flowpulse';
import { LogPanel, WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { msg, settle, testClient, withClient } from './helpers';

const lines = () =>
  within(screen.getByRole('log'))
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('.fp-log__message')?.textContent ?? li.textContent);

function feed(client: ReturnType<typeof testClient>) {
  act(() => {
    client.store.enqueue(msg.start(['fetch', 'parse', 'store']));
    client.store.enqueue(msg.log('run started'));
    client.store.enqueue(msg.log('GET /orders', 'info', 'fetch'));
    client.store.enqueue(msg.log('12 rows', 'info', 'parse'));
    client.store.enqueue(msg.log('slow response', 'warning', 'fetch'));
    client.store.enqueue(msg.log('bad row 7', 'error', 'parse'));
  });
}

describe('LogPanel node filter', () => {
  it('lists the nodes that logged, in order of their first line, after "All nodes"', () => {
    const client = testClient();
    render(withClient(client, <LogPanel nodeLabel={(id) => id.toUpperCase()} />));
    const select = screen.getByLabelText('Node') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['All nodes']);
    feed(client);
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['', 'All nodes'],
      ['fetch', 'FETCH'],
      ['parse', 'PARSE'],
    ]);
  });

  it('filters by node and by level together, with a chip that clears the node filter', () => {
    const client = testClient();
    render(withClient(client, <LogPanel nodeLabel={(id) => `Node ${id}`} />));
    feed(client);
    expect(lines()).toHaveLength(5);
    expect(screen.queryByText(/Filtered to node/)).toBeNull();

    fireEvent.change(screen.getByLabelText('Node'), { target: { value: 'fetch' } });
    expect(lines()).toEqual(['GET /orders', 'slow response']);
    expect(screen.getByText('2 of 5 lines')).toBeTruthy();
    const chip = screen.getByText(/Filtered to node/);
    expect(chip.textContent).toBe('Filtered to node Node fetch — Clear');

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'warning' } });
    expect(lines()).toEqual(['slow response']);

    fireEvent.change(screen.getByLabelText('Node'), { target: { value: 'parse' } });
    expect(lines()).toEqual(['bad row 7']);

    fireEvent.click(screen.getByRole('button', { name: 'Clear the node filter (Node parse)' }));
    expect((screen.getByLabelText('Node') as HTMLSelectElement).value).toBe('');
    expect(lines()).toEqual(['slow response', 'bad row 7']);
    expect(screen.queryByText(/Filtered to node/)).toBeNull();
  });

  it('follows changes of the selected node, and keeps a cleared filter until the next change', () => {
    const client = testClient();
    const view = render(withClient(client, <LogPanel selectedNodeId={null} />));
    feed(client);
    const rerender = (selectedNodeId: string | null) => view.rerender(withClient(client, <LogPanel selectedNodeId={selectedNodeId} />));

    rerender('parse');
    expect(lines()).toEqual(['12 rows', 'bad row 7']);
    fireEvent.click(screen.getByRole('button', { name: /Clear the node filter/ }));
    rerender('parse');
    expect(lines()).toHaveLength(5);

    rerender('store');
    // A selected node that has not logged is still offered, with an empty list that says so.
    expect((screen.getByLabelText('Node') as HTMLSelectElement).value).toBe('store');
    expect(lines()).toEqual(['No log lines from store.']);

    rerender(null);
    expect(lines()).toHaveLength(5);
  });

  it('starts on defaultNode, shows the dropped count, and stays bounded', () => {
    const client = createWorkflowClient({ workflowId: '123', batch: 'sync', maxLogs: 4 });
    render(withClient(client, <LogPanel defaultNode="fetch" />));
    act(() => {
      client.store.enqueue(msg.start(['fetch']));
      for (let i = 0; i < 10; i++) client.store.enqueue(msg.log(`line ${i}`, 'info', i % 2 ? 'fetch' : 'parse'));
    });
    expect(lines()).toEqual(['line 7', 'line 9']);
    expect(screen.getByText('2 of 4 lines, 6 earlier dropped')).toBeTruthy();
  });
});

const graph: WorkflowGraph = {
  nodes: [{ id: 'fetch', label: 'Fetch orders' }, { id: 'parse', label: 'Parse' }, { id: 'store' }],
  edges: [
    { source: 'fetch', target: 'parse' },
    { source: 'parse', target: 'store' },
  ],
};

describe('WorkflowCanvas log filter', () => {
  it('filters the log panel to the node selected on the canvas', async () => {
    const client = testClient();
    const onInit = vi.fn<(i: ReactFlowInstance) => void>();
    const { container } = render(
      withClient(
        client,
        <div style={{ height: 700 }}>
          <WorkflowCanvas graph={graph} flowProps={{ onInit }} />
        </div>,
      ),
    );
    await settle();
    feed(client);
    expect(lines()).toHaveLength(5);

    // A click on the node, as a user would select it.
    const parse = container.querySelector('.react-flow__node[data-id="parse"]') as HTMLElement;
    fireEvent.click(parse);
    await settle();
    expect(parse.classList.contains('selected')).toBe(true);
    expect(lines()).toEqual(['12 rows', 'bad row 7']);
    expect(screen.getByText(/Filtered to node/).textContent).toContain('Parse');

    // Selecting two nodes is no single node: back to all of them.
    const instance = onInit.mock.calls[0]?.[0] as ReactFlowInstance;
    act(() => instance.setNodes((nodes) => nodes.map((n) => ({ ...n, selected: n.id !== 'store' }))));
    await settle();
    expect(lines()).toHaveLength(5);

    act(() => instance.setNodes((nodes) => nodes.map((n) => ({ ...n, selected: n.id === 'fetch' }))));
    await settle();
    expect(lines()).toEqual(['GET /orders', 'slow response']);

    // A plain click on a finished node selects it too, rather than opening its details.
    act(() => client.store.enqueue(msg.status('parse', 'completed', 10, { result: 1 })));
    fireEvent.click(parse.querySelector('.fp-node') as HTMLElement);
    await settle();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(parse.classList.contains('selected')).toBe(true);
    expect(lines()).toEqual(['12 rows', 'bad row 7']);
  });
});
