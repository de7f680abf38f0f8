import { mockReducedMotion } from './setup-react-flow';
import { act } from '@testing-library/react';
import type { Edge, Node } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestEdgeFlow } from 'flowpulse/flow';
import type { EdgeFlow } from 'flowpulse';
import { msg, renderFlow } from './helpers';

const nodes: Node[] = [
  { id: 'fetch', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Fetch' } },
  { id: 'parse', type: 'status', position: { x: 0, y: 150 }, data: { label: 'Parse' } },
  { id: 'store', type: 'status', position: { x: 0, y: 300 }, data: { label: 'Store' } },
];
const edges: Edge[] = [
  { id: 'fetch->parse', source: 'fetch', target: 'parse', type: 'dataflow' },
  { id: 'e2', source: 'parse', target: 'store', type: 'dataflow' },
];

async function setup() {
  const { client, view, send } = await renderFlow(nodes, { edges });
  const edge = (id: string) => view.container.querySelector(`.react-flow__edge[data-id="${id}"]`) as SVGGElement;
  const path = (id: string) => edge(id).querySelector('.react-flow__edge-path') as SVGPathElement;
  const marker = (id: string) => edge(id).querySelector('.fp-edge__marker');
  return { client, view, send, edge, path, marker };
}

describe('DataFlowEdge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is a static bezier at rest: no highlight, no marker, no animation', async () => {
    const { edge, path, marker } = await setup();
    expect(edge('fetch->parse')).not.toBeNull();
    expect(path('fetch->parse').getAttribute('d')).toMatch(/^M.+C/);
    expect(path('fetch->parse').getAttribute('class')).toBe('react-flow__edge-path fp-edge');
    expect(edge('fetch->parse').getAttribute('class')).not.toContain('animated');
    expect(marker('fetch->parse')).toBeNull();
  });

  it('on edge_flow a marker travels the edge, which stays highlighted until the store expires the flow 3 s later', async () => {
    const { send, path, marker } = await setup();
    send(msg.start(['fetch', 'parse', 'store']), msg.flow('fetch', 'parse'));
    expect(path('fetch->parse').getAttribute('class')).toContain('fp-edge--flowing');
    expect(path('fetch->parse').getAttribute('class')).not.toContain('fp-edge--static');
    const dot = marker('fetch->parse');
    expect(dot).not.toBeNull();
    expect(dot?.querySelector('animateMotion')?.getAttribute('path')).toBe(path('fetch->parse').getAttribute('d'));
    expect(path('e2').getAttribute('class')).not.toContain('fp-edge--flowing');

    await act(async () => vi.advanceTimersByTime(2999));
    expect(marker('fetch->parse')).not.toBeNull();
    await act(async () => vi.advanceTimersByTime(1));
    expect(marker('fetch->parse')).toBeNull();
    expect(path('fetch->parse').getAttribute('class')).not.toContain('fp-edge--flowing');
  });

  it('matches a flow by edge_id when the server gives one', async () => {
    const { send, path } = await setup();
    // Source and target name the other edge: the id wins.
    send(msg.start(['fetch', 'parse', 'store']), msg.flow('fetch', 'parse', 'e2'));
    expect(path('e2').getAttribute('class')).toContain('fp-edge--flowing');
    expect(path('fetch->parse').getAttribute('class')).not.toContain('fp-edge--flowing');
  });

  it('restarts the marker on a new flow along the same edge, and keeps the highlight 3 s from the newest', async () => {
    const { send, marker, path } = await setup();
    send(msg.start(['fetch', 'parse', 'store']), msg.flow('fetch', 'parse'));
    const first = marker('fetch->parse');
    const firstId = path('fetch->parse').getAttribute('data-flow-id');
    await act(async () => vi.advanceTimersByTime(2000));
    send(msg.flow('fetch', 'parse'));
    const second = marker('fetch->parse');
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(path('fetch->parse').getAttribute('data-flow-id')).not.toBe(firstId);
    await act(async () => vi.advanceTimersByTime(1500));
    expect(marker('fetch->parse')).not.toBeNull();
    await act(async () => vi.advanceTimersByTime(1500));
    expect(marker('fetch->parse')).toBeNull();
  });

  it('with prefers-reduced-motion shows a static highlight only: no marker, no moving dashes', async () => {
    const restore = mockReducedMotion(true);
    try {
      const { send, path, marker } = await setup();
      send(msg.start(['fetch', 'parse', 'store']), msg.flow('fetch', 'parse'));
      expect(path('fetch->parse').getAttribute('class')).toContain('fp-edge--flowing');
      expect(path('fetch->parse').getAttribute('class')).toContain('fp-edge--static');
      expect(marker('fetch->parse')).toBeNull();
    } finally {
      restore();
    }
  });
});

describe('latestEdgeFlow matching', () => {
  const flow = (edgeId: string | null, source = 'a', target = 'b') =>
    ({ id: `f-${edgeId}`, edgeId, sourceNodeId: source, targetNodeId: target }) as unknown as EdgeFlow;

  it('never takes a flow between other nodes for this edge, whatever characters the ids hold', () => {
    const between = (source: string, target: string) => ({ ...flow(null), sourceNodeId: source, targetNodeId: target });
    expect(latestEdgeFlow([between('a\u0000b', 'c')], 'x', 'a', 'b\u0000c')).toBeUndefined();
    expect(latestEdgeFlow([between('a\u0000b', 'c')], 'x', 'a\u0000b', 'c')).toBeDefined();
  });

  it('matches by edge id when the server names the edge', () => {
    const known = (id: string) => id === 'e1' || id === 'e2';
    expect(latestEdgeFlow([flow('e1')], 'e1', 'a', 'b', known)).toBeDefined();
    expect(latestEdgeFlow([flow('e1')], 'e2', 'a', 'b', known)).toBeUndefined();
  });
  it('matches by source and target when the server names none', () => {
    expect(latestEdgeFlow([flow(null)], 'whatever', 'a', 'b')).toBeDefined();
    expect(latestEdgeFlow([flow(null, 'a', 'c')], 'whatever', 'a', 'b')).toBeUndefined();
  });
  it("falls back to source and target when no canvas edge has the server's id (a graph given without ids)", () => {
    expect(latestEdgeFlow([flow('load-clean', 'a', 'b')], 'a->b', 'a', 'b')).toBeDefined();
    const known = (id: string) => id === 'load-clean';
    expect(latestEdgeFlow([flow('load-clean', 'a', 'b')], 'a->b', 'a', 'b', known)).toBeUndefined();
  });
});
