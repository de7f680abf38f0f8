import './setup-react-flow';
import { act, render } from '@testing-library/react';
import { useMemo, useState } from 'react';
import { applyNodeChanges, type Node, type NodeChange } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkflowCanvas, graphToFlow, type CanvasNodeInput, type WorkflowGraph } from 'flowpulse/flow';
import { msg, settle, testClient, withClient } from './helpers';

afterEach(() => vi.restoreAllMocks());

const edgeEl = (c: HTMLElement, id: string) => Array.from(c.querySelectorAll<HTMLElement>('.react-flow__edge')).filter((e) => e.dataset.id === id);

const withoutE1: WorkflowGraph = { nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], edges: [{ source: 'a', target: 'b' }] };
const withE1: WorkflowGraph = { ...withoutE1, edges: [...withoutE1.edges, { id: 'e1', source: 'b', target: 'c' }] };

/** A canvas of `graph` with a flow from a to b that names the edge e1; `rerender` swaps the graph. */
async function flowA2BNamedE1(graph: WorkflowGraph) {
  const client = testClient();
  const ui = (g: WorkflowGraph) => withClient(client, <div style={{ width: 800, height: 600 }}><WorkflowCanvas graph={g} /></div>);
  const view = render(ui(graph));
  await settle();
  act(() => {
    client.store.enqueue(msg.start(['a', 'b', 'c']));
    client.store.enqueue(msg.flow('a', 'b', 'e1'));
  });
  await settle();
  const rerender = async (g: WorkflowGraph) => {
    view.rerender(ui(g));
    await settle();
  };
  return { view, rerender };
}

describe('canvas elements a model-based test of the canvas checked', () => {
  it('an edge named like a generated id does not take another edge\'s place: every edge drawn once', async () => {
    const err = vi.spyOn(console, 'error');
    const graph: WorkflowGraph = {
      nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      edges: [{ id: 'a->b', source: 'b', target: 'c' }, { source: 'a', target: 'b' }],
    };
    const ids = graphToFlow(graph).edges.map((e) => e.id);
    const { container } = render(withClient(testClient(), <div style={{ width: 800, height: 600 }}><WorkflowCanvas graph={graph} /></div>));
    await settle();
    expect(new Set(ids).size, `ids ${ids}`).toBe(2);
    expect(container.querySelectorAll('.react-flow__edge').length).toBe(2);
    expect(err).not.toHaveBeenCalled();
  });

  it('a parallel edge next to one named by the convention gets an id of its own', () => {
    const ids = graphToFlow({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ id: 'a->b', source: 'a', target: 'b' }, { source: 'a', target: 'b' }] }).edges.map((e) => e.id);
    expect(new Set(ids).size, `ids ${ids}`).toBe(2);
  });

  it('edges are named after the nodes people see, not their ids', async () => {
    const graph: WorkflowGraph = {
      nodes: [{ id: 'fetch', label: 'Fetch orders' }, { id: 'parse', label: 'Parse' }, { id: 'x' }],
      edges: [{ source: 'fetch', target: 'parse', label: 'orders' }, { source: 'parse', target: 'x' }],
    };
    const { container } = render(withClient(testClient(), <div style={{ width: 800, height: 600 }}><WorkflowCanvas graph={graph} /></div>));
    await settle();
    const names = Array.from(container.querySelectorAll('.react-flow__edge'), (e) => e.getAttribute('aria-label'));
    expect(names.sort()).toEqual(['From Fetch orders to Parse: orders', 'From Parse to x']);
  });

  it('a fallback flow stops once an edge with its id appears', async () => {
    const { view, rerender } = await flowA2BNamedE1(withoutE1);
    expect(edgeEl(view.container, 'a->b')[0]!.querySelector('.fp-edge--flowing')).not.toBeNull();
    await rerender(withE1);
    // The flow names e1, which is now on the canvas (b->c): it is e1's, not a->b's.
    expect(edgeEl(view.container, 'e1')[0]!.querySelector('.fp-edge--flowing'), 'e1 flows').not.toBeNull();
    expect(edgeEl(view.container, 'a->b')[0]!.querySelector('.fp-edge--flowing'), 'a->b no longer flows').toBeNull();
  });

  it('controlled nodes keep the layout direction handles after a drag', async () => {
    const graph: WorkflowGraph = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };
    let apply: (c: NodeChange[]) => void = () => {};
    function Controlled() {
      const flow = useMemo(() => graphToFlow(graph), []);
      const [nodes, setNodes] = useState<CanvasNodeInput[]>(flow.nodes);
      apply = (c) => setNodes((n) => applyNodeChanges(c, n as Node[]));
      return <WorkflowCanvas nodes={nodes} edges={flow.edges} layout={{ direction: 'LR' }} onNodesChange={apply} />;
    }
    const { container } = render(withClient(testClient(), <div style={{ width: 800, height: 600 }}><Controlled /></div>));
    await settle();
    const handle = (id: string) => container.querySelector(`.react-flow__node[data-id="${id}"] .react-flow__handle.source`)?.getAttribute('data-handlepos');
    expect(handle('a')).toBe('right');
    act(() => apply([{ type: 'position', id: 'a', position: { x: 10, y: 200 }, dragging: false }]));
    await settle();
    expect(handle('a'), 'after drag').toBe('right');
  });

  it('a flow naming a removed edge falls back to its ends', async () => {
    const { view, rerender } = await flowA2BNamedE1(withE1);
    expect(edgeEl(view.container, 'e1')[0]!.querySelector('.fp-edge--flowing')).not.toBeNull();
    expect(edgeEl(view.container, 'a->b')[0]!.querySelector('.fp-edge--flowing')).toBeNull();
    await rerender(withoutE1);
    // With no e1 on the canvas any more, a flow a->b (named e1) shows on a->b, as on a fresh mount.
    expect(edgeEl(view.container, 'a->b')[0]!.querySelector('.fp-edge--flowing'), 'a->b flows').not.toBeNull();
  });
});
