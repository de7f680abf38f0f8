import { renderHook } from '@testing-library/react';
import { applyNodeChanges, type Edge, type Node } from '@xyflow/react';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  graphToFlow,
  layoutNodes,
  preloadLayout,
  useFlowElements,
  usePrefersReducedMotion,
  type CanvasNodeInput,
  type WorkflowGraph,
} from 'flowpulse/flow';
import { mockReducedMotion } from './setup-react-flow';

const diamond: WorkflowGraph = {
  nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
  edges: [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'b', target: 'd' },
    { source: 'c', target: 'd' },
  ],
};

describe('graphToFlow', () => {
  it('makes status nodes (label defaults to the id) and dataflow edges with stable ids', () => {
    const { nodes, edges } = graphToFlow({
      nodes: [
        { id: 'a', type: 'http', description: 'GET /orders' },
        { id: 'b', label: 'B', position: { x: 1, y: 2 } },
      ],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'a', target: 'b' },
        { id: 'mine', source: 'b', target: 'a' },
      ],
    });
    expect(nodes[0]).toEqual({ id: 'a', type: 'status', data: { label: 'a', type: 'http', description: 'GET /orders' } });
    expect(nodes[1]).toEqual({ id: 'b', type: 'status', data: { label: 'B' }, position: { x: 1, y: 2 } });
    expect(edges.map((e) => e.id)).toEqual(['a->b', 'a->b#2', 'mine']);
    expect(edges.every((e) => e.type === 'dataflow')).toBe(true);
  });
});

describe('layoutNodes', () => {
  it('ranks a DAG top to bottom with dagre, siblings side by side', () => {
    const { nodes, edges } = graphToFlow(diamond);
    const placed = Object.fromEntries(layoutNodes(nodes, edges).map((n) => [n.id, n]));
    const y = (id: string) => placed[id]!.position.y;
    const x = (id: string) => placed[id]!.position.x;
    expect(y('a')).toBeLessThan(y('b'));
    expect(y('b')).toBe(y('c'));
    expect(y('c')).toBeLessThan(y('d'));
    expect(Math.abs(x('b') - x('c'))).toBeGreaterThanOrEqual(180);
    expect(placed.a!.targetPosition).toBe('top');
    expect(placed.a!.sourcePosition).toBe('bottom');
  });

  it('keeps given positions, places only the missing ones, and returns the input when nothing is missing', () => {
    const input = [
      { id: 'a', data: {}, position: { x: 999, y: 999 } },
      { id: 'b', data: {} },
    ];
    const placed = layoutNodes(input, [{ source: 'a', target: 'b' }]);
    expect(placed[0]!.position).toEqual({ x: 999, y: 999 });
    expect(placed[1]!.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    const complete = [{ id: 'a', data: {}, position: { x: 0, y: 0 } }];
    expect(layoutNodes(complete, [])).toBe(complete);
  });

  it('places a missing node among the positioned ones: next to its neighbour, wherever that was put', () => {
    const input = [
      { id: 'a', data: {}, position: { x: 500, y: 40 } },
      { id: 'b', data: {} },
    ];
    const [a, b] = layoutNodes(input, [{ source: 'a', target: 'b' }]);
    expect(a).toBe(input[0]);
    expect(b!.position.x).toBe(500);
    expect(b!.position.y).toBeGreaterThan(40 + 72);
  });

  it('lays out left to right on request', () => {
    const { nodes, edges } = graphToFlow({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] });
    const [a, b] = layoutNodes(nodes, edges, { direction: 'LR' });
    expect(a!.position.x).toBeLessThan(b!.position.x);
    expect(a!.sourcePosition).toBe('right');
  });

  it('lays out 500 nodes quickly enough for a first render', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `n${i}`);
    const { nodes, edges } = graphToFlow({
      nodes: ids.map((id) => ({ id })),
      edges: ids.slice(1).map((id, i) => ({ source: `n${Math.floor(i / 3)}`, target: id })),
    });
    const started = performance.now();
    const placed = layoutNodes(nodes, edges);
    expect(placed.every((n) => Number.isFinite(n.position.x) && Number.isFinite(n.position.y))).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

// The canvas loads its layout code on first need (layout-lazy.test.tsx is about that wait); once it is
// there, a layout is ready on the render that needs it, which is what these tests are about.
beforeAll(() => preloadLayout());

describe('useFlowElements', () => {
  it('memoizes on what the graph says: the same or an equal graph (an inline literal), same arrays; a changed graph, new arrays', () => {
    const { result, rerender } = renderHook(({ graph }) => useFlowElements({ graph }), { initialProps: { graph: diamond } });
    const first = result.current;
    rerender({ graph: diamond });
    expect(result.current.nodes).toBe(first.nodes);
    expect(result.current.edges).toBe(first.edges);
    rerender({ graph: structuredClone(diamond) });
    expect(result.current.nodes).toBe(first.nodes);
    expect(result.current.edges).toBe(first.edges);
    rerender({ graph: { ...diamond, nodes: diamond.nodes.map((n) => (n.id === 'a' ? { ...n, label: 'Renamed' } : n)) } });
    expect(result.current.nodes).not.toBe(first.nodes);
    expect(result.current.nodes.find((n) => n.id === 'a')!.data).toMatchObject({ label: 'Renamed' });
  });

  it('types untyped React Flow nodes and edges as status and dataflow', () => {
    const nodes = [
      { id: 'a', data: {}, position: { x: 0, y: 0 } },
      { id: 'b', type: 'custom', data: {}, position: { x: 0, y: 0 } },
    ];
    const edges = [{ id: 'e', source: 'a', target: 'b' }];
    const { result } = renderHook(() => useFlowElements({ nodes, edges }));
    expect(result.current.nodes.map((n) => n.type)).toEqual(['status', 'custom']);
    expect(result.current.edges[0]!.type).toBe('dataflow');
  });
});

describe('useFlowElements with controlled nodes', () => {
  // The app keeps its own nodes (no positions: the canvas lays them out) and applies React Flow's changes to them.
  const start: CanvasNodeInput[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, data: { label: id.toUpperCase() } }));
  const edges: Edge[] = [
    { id: 'a-b', source: 'a', target: 'b' },
    { id: 'a-c', source: 'a', target: 'c' },
    { id: 'b-d', source: 'b', target: 'd' },
    { id: 'c-d', source: 'c', target: 'd' },
  ];
  const apply = (changes: Parameters<typeof applyNodeChanges>[0], nodes: CanvasNodeInput[]) =>
    applyNodeChanges(changes, nodes as Node[]) as CanvasNodeInput[];
  const byId = (nodes: Node[]) => Object.fromEntries(nodes.map((n) => [n.id, n]));

  function mount() {
    return renderHook(({ nodes, edges: e }) => useFlowElements({ nodes, edges: e }), { initialProps: { nodes: start, edges } });
  }

  it('a drag of one node moves no other node, and unchanged nodes stay the same objects', () => {
    const { result, rerender } = mount();
    const before = byId(result.current.nodes);
    expect(Object.values(before).every((n) => Number.isFinite(n.position.x) && n.type === 'status')).toBe(true);
    const typedEdges = result.current.edges;

    // The dragged node now has a position of its own; dagre would have re-ranked the rest without it.
    const dragged = apply([{ type: 'position', id: 'b', position: { x: 900, y: -300 }, dragging: true }], start);
    rerender({ nodes: dragged, edges });
    const after = byId(result.current.nodes);
    expect(after.b!.position).toEqual({ x: 900, y: -300 });
    for (const id of ['a', 'c', 'd']) {
      expect(after[id]!.position).toEqual(before[id]!.position);
      expect(after[id]).toBe(before[id]);
    }
    expect(result.current.edges[0]).toBe(typedEdges[0]);

    // Measuring and selecting give new objects, still without positions: nothing is laid out again.
    const measured = apply(
      [
        { type: 'dimensions', id: 'c', dimensions: { width: 180, height: 64 } },
        { type: 'select', id: 'd', selected: true },
      ],
      dragged,
    );
    rerender({ nodes: measured, edges });
    const later = byId(result.current.nodes);
    expect(later.c!.position).toEqual(before.c!.position);
    expect(later.d!.position).toEqual(before.d!.position);
    expect(later.d!.selected).toBe(true);
    expect(later.a).toBe(before.a);
  });

  it('a structural change lays out the new node beside its neighbour, and nothing else moves', () => {
    const { result, rerender } = mount();
    const before = byId(result.current.nodes);
    // d was dragged far away first; the new node hangs from it.
    const dragged = apply([{ type: 'position', id: 'd', position: { x: 2000, y: 1500 } }], start);
    rerender({ nodes: dragged, edges });
    const grown = [...dragged, { id: 'e', data: { label: 'E' } }];
    rerender({ nodes: grown, edges: [...edges, { id: 'd-e', source: 'd', target: 'e' }] });
    const after = byId(result.current.nodes);
    for (const id of ['a', 'b', 'c']) expect(after[id]!.position).toEqual(before[id]!.position);
    expect(after.d!.position).toEqual({ x: 2000, y: 1500 });
    expect(after.e!.type).toBe('status');
    expect(after.e!.position.x).toBe(2000);
    expect(after.e!.position.y).toBeGreaterThan(1500 + 72);

    // The new node keeps that place too.
    const placed = after.e!.position;
    rerender({ nodes: [...grown], edges: [...edges, { id: 'd-e', source: 'd', target: 'e' }] });
    expect(byId(result.current.nodes).e!.position).toEqual(placed);
  });

  it('lays everything out afresh when the layout options change', () => {
    const { result, rerender } = renderHook(({ direction }) => useFlowElements({ nodes: start, edges, layout: { direction } }), {
      initialProps: { direction: 'TB' as 'TB' | 'LR' },
    });
    const tb = byId(result.current.nodes);
    rerender({ direction: 'LR' });
    const lr = byId(result.current.nodes);
    expect(lr.a!.position.x).toBeLessThan(lr.d!.position.x);
    expect(tb.a!.position.y).toBeLessThan(tb.d!.position.y);
    expect(lr.a!.sourcePosition).toBe('right');
  });
});

describe('usePrefersReducedMotion', () => {
  it('is false without matchMedia and follows the media query when there is one', () => {
    expect(renderHook(() => usePrefersReducedMotion()).result.current).toBe(false);
    const restore = mockReducedMotion(true);
    try {
      expect(renderHook(() => usePrefersReducedMotion()).result.current).toBe(true);
    } finally {
      restore();
    }
  });
});
