// The page `bench/canvas.mjs` opens in Chromium: one canvas per page load,
// flowpulse's or the naive baseline, driven by `window.runCanvasBench`.
//
// Both canvases are the same React Flow, with the same props, graph, node DOM
// and CSS; the only difference is where a node's run status lives.
import '@xyflow/react/dist/style.css';
import 'flowpulse/styles.css';
import { memo, Profiler, useCallback, useEffect, type Dispatch, type ProfilerOnRenderCallback, type SetStateAction } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import {
  Handle,
  Position,
  ReactFlow,
  useEdgesState,
  useNodesState,
  useStoreApi,
  type Edge,
  type Node,
  type NodeProps,
  type OnNodesChange,
  type ReactFlowProps,
} from '@xyflow/react';
import { createWorkflowClient, WorkflowProvider, type WorkflowClient } from 'flowpulse';
import { edgeTypes, formatDuration, nodeTypes, StatusBadge, type NodeStatusName } from 'flowpulse/flow';
import { createNodeStatusMessage, createWorkflowStartMessage, isoTimestamp, type NodeStatus } from 'flowpulse/protocol';

export type Variant = 'flowpulse' | 'baseline';

export interface CanvasBenchResult {
  /** Per update: from applying it to the end of the frame that painted it, ms. */
  toPaint: number[];
  /** Per update: the part spent applying it (store or setNodes, React render and commit), ms. */
  apply: number[];
  /** Sum of React Profiler `actualDuration` over the commits of the run, ms. */
  reactMs: number;
  commits: number;
  /** How often React Flow's own `nodes` array was replaced during the run. */
  flowNodesChanges: number;
  /** Of the node changes React Flow reported during the run, those that were new measured sizes. */
  resizes: number;
  nodes: number;
  edges: number;
}

declare global {
  interface Window {
    runCanvasBench(variant: Variant, options: { columns: number; rows: number; messages: number }): Promise<CanvasBenchResult>;
  }
}

const WF = 'bench';
const ids = { workflowId: WF, executionId: 'exec-1' };
const START = Date.UTC(2025, 10, 13, 1, 30, 0);
// Fixed timestamps: every completed node shows the same duration on both canvases' runs.
const at = (ms: number) => isoTimestamp(new Date(START + ms));

type BaselineNode = Node<{ label: string; status: NodeStatusName; durationMs?: number }, 'baseline'>;

// The naive node: status from `node.data`. Same markup and classes as flowpulse's StatusNode for
// each status (ring while running, details button and duration once finished), so both canvases
// lay out, resize and paint the same pixels; none of its behaviour, which only makes it cheaper.
const BaselineStatusNode = memo(function BaselineStatusNode({ data }: NodeProps<BaselineNode>) {
  const { label, status, durationMs } = data;
  const finished = status === 'completed' || status === 'error';
  const className = `fp-node fp-node--${status}${status === 'running' ? ' fp-node--current' : ''}${finished ? ' fp-node--has-details' : ''}`;
  return (
    <div className={className} data-status={status}>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className="fp-node__label">{label}</div>
      <div className="fp-node__meta">
        {finished ? (
          <button type="button" className="fp-node__details nodrag nopan">
            <StatusBadge status={status} />
            <span className="fp-visually-hidden">: {label}, show details</span>
          </button>
        ) : (
          <StatusBadge status={status} />
        )}
        {finished && durationMs !== undefined && (
          <span className="fp-node__duration" title="Duration">
            {formatDuration(durationMs)}
          </span>
        )}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </div>
  );
});
const baselineNodeTypes = { baseline: BaselineStatusNode };

/** A layered grid: each node feeds the one below it, even columns also the one below-right. */
function grid(columns: number, rows: number) {
  const place = (c: number, r: number) => ({ id: `n${r}-${c}`, label: `Step ${r + 1}.${c + 1}`, position: { x: c * 220, y: r * 130 } });
  const cells = [];
  const edges: { id: string; source: string; target: string }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      cells.push(place(c, r));
      if (r + 1 === rows) continue;
      edges.push({ id: `n${r}-${c}->n${r + 1}-${c}`, source: `n${r}-${c}`, target: `n${r + 1}-${c}` });
      if (c % 2 === 0 && c + 1 < columns)
        edges.push({ id: `n${r}-${c}->n${r + 1}-${c + 1}`, source: `n${r}-${c}`, target: `n${r + 1}-${c + 1}` });
    }
  }
  // Row-major: a run works through the graph layer by layer.
  return { cells, edges, order: cells.map((n) => n.id) };
}

// Identical for both, and as flowpulse's own canvas sets them.
const flowProps = {
  fitView: true,
  minZoom: 0.05,
  nodesConnectable: false,
  edgesFocusable: false,
  deleteKeyCode: null,
} satisfies Partial<ReactFlowProps>;

interface Counting {
  on: boolean;
  changes: number;
  resizes: number;
}

/** Counts replacements of React Flow's internal `nodes` while `counting.on`: the design says run state makes none. */
function FlowNodesWatch({ counting }: { counting: Counting }) {
  const store = useStoreApi();
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (counting.on && s.nodes !== prev.nodes) counting.changes++;
      }),
    [store, counting],
  );
  return null;
}

interface CanvasProps {
  initialNodes: Node[];
  initialEdges: Edge[];
  variant: Variant;
  /** Gets the canvas's `setNodes`, so the run can drive the baseline the way apps do. */
  handle: { setNodes?: Dispatch<SetStateAction<Node[]>> };
  counting: Counting;
}

function Canvas({ initialNodes, initialEdges, variant, handle, counting }: CanvasProps) {
  // Both keep nodes in app state, as React Flow's docs do, so measurements and selection round-trip the same way.
  const [nodes, setNodes, applyNodesChange] = useNodesState(initialNodes);
  const [edges, , onEdgesChange] = useEdgesState(initialEdges);
  handle.setNodes = setNodes; // stable across renders
  // A node whose content grows (a finished node's duration wraps) is measured again, and React
  // Flow replaces `nodes` for it: counted apart, since that is layout, not run state.
  const onNodesChange: OnNodesChange = useCallback(
    (changes) => {
      if (counting.on) counting.resizes += changes.filter((c) => c.type === 'dimensions').length;
      applyNodesChange(changes);
    },
    [applyNodesChange, counting],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      nodeTypes={variant === 'flowpulse' ? nodeTypes : baselineNodeTypes}
      edgeTypes={variant === 'flowpulse' ? edgeTypes : undefined}
      {...flowProps}
    >
      <FlowNodesWatch counting={counting} />
    </ReactFlow>
  );
}

const frame = () => new Promise((r) => requestAnimationFrame(r));

window.runCanvasBench = async (variant, { columns, rows, messages }) => {
  const { cells, edges, order } = grid(columns, rows);
  const initialNodes: Node[] = cells.map(({ id, label, position }) =>
    variant === 'flowpulse'
      ? { id, type: 'status', position, data: { label } }
      : { id, type: 'baseline', position, data: { label, status: 'pending' } },
  );
  const initialEdges: Edge[] = edges.map((e) => (variant === 'flowpulse' ? { ...e, type: 'dataflow' } : e));

  // One message per node event: running, then completed, node after node.
  const updates: { id: string; status: NodeStatus; ms: number; durationMs?: number }[] = [];
  for (let i = 0; updates.length < messages; i++) {
    const id = order[i % order.length]!;
    updates.push({ id, status: 'running', ms: i * 1000 }, { id, status: 'completed', ms: i * 1000 + 850, durationMs: 850 });
  }
  updates.length = messages;

  const profile = { on: false, ms: 0, commits: 0 };
  const counting: Counting = { on: false, changes: 0, resizes: 0 };
  const onRender: ProfilerOnRenderCallback = (_id, _phase, actualDuration) => {
    if (!profile.on) return;
    profile.ms += actualDuration;
    profile.commits++;
  };

  // 'sync': the store applies each message as it comes; the default 'frame' batching would defer
  // it to the next frame, which measures the scheduler rather than the render.
  let client: WorkflowClient | undefined;
  const handle: CanvasProps['handle'] = {};
  const canvas = <Canvas initialNodes={initialNodes} initialEdges={initialEdges} variant={variant} handle={handle} counting={counting} />;
  const root = createRoot(document.getElementById('root') as HTMLElement);
  if (variant === 'flowpulse') {
    client = createWorkflowClient({ workflowId: WF, batch: 'sync', stalledAfterMs: 0 });
    root.render(
      <Profiler id="canvas" onRender={onRender}>
        <WorkflowProvider workflowId={WF} client={client} enabled={false}>
          {canvas}
        </WorkflowProvider>
      </Profiler>,
    );
  } else {
    root.render(
      <Profiler id="canvas" onRender={onRender}>
        {canvas}
      </Profiler>,
    );
  }

  // React Flow hides nodes until it has measured them, then fits the view: wait for all of them.
  const visible = () => document.querySelectorAll('.react-flow__node[style*="visibility: visible"]').length;
  for (let waited = 0; visible() < cells.length; waited++) {
    if (waited > 600) throw new Error(`only ${visible()} of ${cells.length} nodes became visible`);
    await frame();
  }
  if (client) client.store.enqueue(createWorkflowStartMessage({ ...ids, executionOrder: order, timestamp: at(-1) }));
  for (let i = 0; i < 10; i++) await frame();

  const apply = ({ id, status, ms, durationMs }: (typeof updates)[number]) => {
    // flushSync: the render lands in this frame for both. Left alone, React 19 renders flowpulse's
    // store update (useSyncExternalStore) in a microtask but the baseline's setNodes in a later
    // task, after this frame's paint: the figures would compare React's scheduling, not the work.
    if (client) flushSync(() => client.store.enqueue(createNodeStatusMessage({ ...ids, nodeId: id, status, timestamp: at(ms) })));
    else
      flushSync(() => handle.setNodes!((nodes) => nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, status, durationMs } } : n))));
  };

  const shows = ({ id, status }: (typeof updates)[number]) =>
    document.querySelector(`.react-flow__node[data-id="${id}"] .fp-node`)?.getAttribute('data-status') === status;

  const toPaint: number[] = [];
  const applied: number[] = [];
  let missed = 0;
  profile.on = counting.on = true;
  for (const update of updates) {
    // Applied at the start of a frame, as a message arriving just before it would be; the timeout
    // queued from the frame callback runs once that frame's style, layout and paint are done.
    const elapsed = await new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const t0 = performance.now();
        apply(update);
        applied.push(performance.now() - t0);
        // In the DOM before this frame renders, or the figure would not be the time to its paint.
        if (!shows(update)) missed++;
        setTimeout(() => resolve(performance.now() - t0));
      }),
    );
    toPaint.push(elapsed);
  }
  profile.on = counting.on = false;
  if (missed) throw new Error(`${variant}: ${missed} updates were not in the DOM by the frame after them`);

  root.unmount();
  client?.destroy();
  return {
    toPaint,
    apply: applied,
    reactMs: profile.ms,
    commits: profile.commits,
    flowNodesChanges: counting.changes,
    resizes: counting.resizes,
    nodes: initialNodes.length,
    edges: initialEdges.length,
  };
};
