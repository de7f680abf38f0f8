/**
 * The layout code (dagre) is loaded on first need: a canvas whose nodes all have positions never loads
 * it; one that needs it shows nothing of what waits for it (no node at the origin, then moved), says so
 * if the wait is noticeable, then draws every node at once, laid out, with the view fitted to them.
 *
 * The tests share one page's worth of module state, in order: the layout code is asked for by the
 * second, and held back until that test lets it through. They import the canvas from its module, not from `flowpulse/flow`, whose `layoutNodes`
 * imports dagre statically: the module registry, here, is what the app's bundle would load.
 */
import './setup-react-flow';
import { act, render, renderHook, screen } from '@testing-library/react';
import type { ReactFlowInstance } from '@xyflow/react';
import { describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { WorkflowCanvas } from '../../src/flow/WorkflowCanvas';
import { useFlowElements } from '../../src/flow/useFlowElements';
import { preloadLayout } from '../../src/flow/layoutEngine';
import type { CanvasNodeInput, WorkflowGraph } from '../../src/flow/types';

// The layout code's module: counted when it is loaded, and held back until the test lets it through.
const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { loads: 0, opened, open };
});
vi.mock('../../src/flow/dagreLayout', async (importOriginal) => {
  gate.loads++;
  await gate.opened;
  return importOriginal();
});

const client = () => createWorkflowClient({ workflowId: 'wf', batch: 'sync' });
const inProvider = (children: React.ReactNode) => (
  <WorkflowProvider workflowId="wf" client={client()} enabled={false}>
    <div style={{ width: 800, height: 600 }}>{children}</div>
  </WorkflowProvider>
);
const settle = () =>
  act(async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });
const position = (container: HTMLElement, id: string) => {
  const el = container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement;
  const [, x, y] = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec(el.style.transform) ?? [];
  return { x: Number(x), y: Number(y) };
};

const placed: CanvasNodeInput[] = [
  { id: 'a', data: { label: 'A' }, position: { x: 0, y: 0 } },
  { id: 'b', data: { label: 'B' }, position: { x: 0, y: 150 } },
];
const chain: WorkflowGraph = {
  nodes: [{ id: 'fetch' }, { id: 'parse' }, { id: 'store' }],
  edges: [
    { source: 'fetch', target: 'parse' },
    { source: 'parse', target: 'store' },
  ],
};

describe('the layout code, loaded on first need', () => {
  it('is never loaded for a canvas whose nodes all have positions, nor for a graph that gives them', async () => {
    const graph: WorkflowGraph = { nodes: [{ id: 'x', position: { x: 10, y: 20 } }], edges: [] };
    const view = render(
      inProvider(
        <>
          <WorkflowCanvas nodes={placed} edges={[{ id: 'a-b', source: 'a', target: 'b' }]} />
          <WorkflowCanvas graph={graph} />
        </>,
      ),
    );
    await settle();
    expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(3);
    expect(position(view.container, 'b')).toEqual({ x: 0, y: 150 });
    expect(view.container.querySelector('[aria-busy]')).toBeNull();
    expect(view.container.querySelector('.fp-canvas__layout-status')).toBeNull();
    expect(gate.loads).toBe(0);
    view.unmount();
  });

  it('while it loads, draws nothing of what waits for it, says so if that takes a while, then every node laid out and in view', async () => {
    let instance!: ReactFlowInstance;
    const view = render(inProvider(<WorkflowCanvas graph={chain} flowProps={{ onInit: (i) => (instance = i) }} />));
    const region = screen.getByRole('region', { name: 'Workflow graph' });
    // The first render asks for the layout code and draws none of the nodes that wait for it.
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(0);
    // The status region is there, empty, from the start (so its text is announced); the text comes only if the wait is noticeable.
    const status = view.container.querySelector('.fp-canvas__layout-status') as HTMLElement;
    expect(status.getAttribute('role')).toBe('status');
    await settle();
    expect(gate.loads).toBe(1);
    expect(status.textContent).toBe('');
    await act(() => new Promise((resolve) => setTimeout(resolve, 450)));
    expect(status.textContent).toBe('Laying out the graph…');
    expect(view.container.querySelectorAll('.react-flow__node')).toHaveLength(0);

    // Meanwhile, controlled nodes: those with positions are there, one that has none waits, with its edges.
    const late = [...placed, { id: 'c', data: { label: 'C' } }];
    const lateEdges = [
      { id: 'a-b', source: 'a', target: 'b' },
      { id: 'b-c', source: 'b', target: 'c' },
    ];
    const controlled = renderHook(() => useFlowElements({ nodes: late, edges: lateEdges }));
    expect(controlled.result.current.pending).toBe(true);
    expect(controlled.result.current.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(controlled.result.current.edges.map((e) => e.id)).toEqual(['a-b']);
    // And elements that wait for nothing are not made anew when the layout code arrives (a canvas would lose its selection).
    const still = renderHook(() => useFlowElements({ nodes: placed }));
    const stillBefore = still.result.current;

    gate.open();
    await act(() => preloadLayout());
    await settle();
    expect(gate.loads).toBe(1);
    expect(region.getAttribute('aria-busy')).toBeNull();
    expect(view.container.querySelector('.fp-canvas__layout-status')).toBeNull();
    const ys = ['fetch', 'parse', 'store'].map((id) => position(view.container, id).y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(3);
    expect(view.container.querySelectorAll('.react-flow__edge')).toHaveLength(2);
    // Fitted to the laid-out graph, not to the empty one it started as: every node inside the pane.
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    const pane = view.container.querySelector('.react-flow') as HTMLElement;
    const { x, y, zoom } = instance.getViewport();
    for (const id of ['fetch', 'parse', 'store']) {
      const { positionAbsolute } = instance.getInternalNode(id)!.internals;
      expect(x + positionAbsolute.x * zoom).toBeGreaterThanOrEqual(-0.5);
      expect(x + (positionAbsolute.x + 180) * zoom).toBeLessThanOrEqual(pane.offsetWidth + 0.5);
      expect(y + positionAbsolute.y * zoom).toBeGreaterThanOrEqual(-0.5);
      expect(y + (positionAbsolute.y + 64) * zoom).toBeLessThanOrEqual(pane.offsetHeight + 0.5);
    }

    expect(controlled.result.current.pending).toBe(false);
    const byId = Object.fromEntries(controlled.result.current.nodes.map((n) => [n.id, n]));
    expect(byId.a!.position).toEqual({ x: 0, y: 0 });
    expect(byId.b!.position).toEqual({ x: 0, y: 150 });
    expect(byId.c!.position.y).toBeGreaterThan(150);
    expect(controlled.result.current.edges.map((e) => e.id)).toEqual(['a-b', 'b-c']);
    still.rerender();
    expect(still.result.current).toBe(stillBefore);
    view.unmount();
  });

  it('once loaded, lays a graph out on its first render', () => {
    const { result } = renderHook(() => useFlowElements({ graph: chain }));
    expect(result.current.pending).toBe(false);
    expect(result.current.nodes.map((n) => n.id)).toEqual(['fetch', 'parse', 'store']);
    expect(new Set(result.current.nodes.map((n) => n.position.y)).size).toBe(3);
    expect(gate.loads).toBe(1);
  });
});
