import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { graphToFlow, layoutNodes, useFlowElements, usePrefersReducedMotion, type WorkflowGraph } from 'flowpulse/flow';
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

describe('useFlowElements', () => {
  it('memoizes on the graph: same graph, same arrays; a new graph, new arrays', () => {
    const { result, rerender } = renderHook(({ graph }) => useFlowElements({ graph }), { initialProps: { graph: diamond } });
    const first = result.current;
    rerender({ graph: diamond });
    expect(result.current.nodes).toBe(first.nodes);
    expect(result.current.edges).toBe(first.edges);
    rerender({ graph: { ...diamond } });
    expect(result.current.nodes).not.toBe(first.nodes);
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
