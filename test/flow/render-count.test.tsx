import './setup-react-flow';
import { act, render } from '@testing-library/react';
import { Profiler } from 'react';
import type { EdgeProps, NodeProps } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { DataFlowEdge, StatusNode, WorkflowCanvas, type DataFlowEdgeType, type StatusNodeType, type WorkflowGraph } from 'flowpulse/flow';
import { msg, settle, testClient, withClient } from './helpers';

// Real counts: a Profiler around each StatusNode/DataFlowEdge reports every
// commit in which that component (or anything under it) rendered, including
// renders caused by its own store subscription.
const nodeRenders = new Map<string, number>();
const edgeRenders = new Map<string, number>();
const bump = (map: Map<string, number>) => (id: string) => map.set(id, (map.get(id) ?? 0) + 1);

function CountedNode(props: NodeProps<StatusNodeType>) {
  return (
    <Profiler id={props.id} onRender={bump(nodeRenders)}>
      <StatusNode {...props} />
    </Profiler>
  );
}
function CountedEdge(props: EdgeProps<DataFlowEdgeType>) {
  return (
    <Profiler id={props.id} onRender={bump(edgeRenders)}>
      <DataFlowEdge {...props} />
    </Profiler>
  );
}
const countedNodeTypes = { status: CountedNode };
const countedEdgeTypes = { dataflow: CountedEdge };

const N = 200;
const ids = Array.from({ length: N }, (_, i) => `n${i}`);
// A binary tree: 199 edges.
const graph: WorkflowGraph = {
  nodes: ids.map((id) => ({ id, label: `Step ${id}` })),
  edges: ids.slice(1).map((id, i) => ({ source: `n${Math.floor(i / 2)}`, target: id })),
};

const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);

describe('render counts on a 200-node canvas', () => {
  it('one node_status re-renders exactly one StatusNode; one edge_flow exactly one edge', async () => {
    const client = testClient();
    const { container } = render(
      withClient(
        client,
        <div style={{ width: 1200, height: 800 }}>
          <WorkflowCanvas graph={graph} nodeTypes={countedNodeTypes} edgeTypes={countedEdgeTypes} />
        </div>,
      ),
    );
    await settle();
    expect(container.querySelectorAll('.fp-node')).toHaveLength(N);
    expect(container.querySelectorAll('.fp-edge')).toHaveLength(N - 1);
    expect(nodeRenders.size).toBe(N);

    act(() => client.store.enqueue(msg.start(ids)));
    await settle();
    nodeRenders.clear();
    edgeRenders.clear();

    act(() => client.store.enqueue(msg.status('n42', 'running')));
    await settle();
    expect([...nodeRenders.entries()]).toEqual([['n42', 1]]);
    expect(total(edgeRenders)).toBe(0);
    expect(container.querySelector('[data-id="n42"] .fp-node')?.className).toContain('fp-node--running');

    nodeRenders.clear();
    act(() => client.store.enqueue(msg.flow('n0', 'n1')));
    await settle();
    expect([...edgeRenders.entries()]).toEqual([['n0->n1', 1]]);
    expect(total(nodeRenders)).toBe(0);

    // Progress moves the "current" highlight: the old and the new current node, nothing else.
    edgeRenders.clear();
    act(() => client.store.enqueue(msg.progress(1, N, 'n7')));
    await settle();
    expect([...nodeRenders.keys()]).toEqual(['n7']);
    nodeRenders.clear();
    act(() => client.store.enqueue(msg.progress(2, N, 'n8')));
    await settle();
    expect([...nodeRenders.keys()].sort()).toEqual(['n7', 'n8']);
    expect(total(edgeRenders)).toBe(0);
  });
});
