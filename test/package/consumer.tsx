// Type-checked by test/package/exports.test.ts against the built package
// (self-reference through package.json "exports", no source paths): what a user's app sees.
import {
  createWorkflowClient,
  parseServerMessage,
  reduceWorkflow,
  useNodeStatus,
  useWorkflowSelector,
  useWorkflowWebSocket,
  WorkflowProvider,
} from 'flowpulse';
import type { NodeRunState, WorkflowState } from 'flowpulse';
import { useWorkflowControl, createWorkflowControl } from 'flowpulse/control';
import { DataFlowEdge, layoutNodes, LogPanel, preloadLayout, ProgressBar, RunToolbar, StatusNode, WorkflowCanvas } from 'flowpulse/flow';
import type { DataFlowEdgeType, StatusNodeType, WorkflowGraph } from 'flowpulse/flow';
import { useEdgesState, useNodesState, type Node, type ReactFlowInstance } from '@xyflow/react';
import { createNodeStatusMessage, messagesSchema, validateServerMessage, type ServerMessage } from 'flowpulse/protocol';
import { ConnectionManager, createFlowpulseServer, WorkflowEngine } from 'flowpulse/server';

export function Status({ id }: { id: string }) {
  const { progress, isConnected, nodeStatuses } = useWorkflowWebSocket(id, { baseUrl: 'ws://localhost:8000', onError: (e) => e.message });
  const node: NodeRunState = useNodeStatus('a');
  const running: boolean = useWorkflowSelector((s: WorkflowState) => s.runStatus === 'running');
  const { execute } = useWorkflowControl();
  return (
    <WorkflowProvider workflowId={id}>
      <button
        onClick={() => void execute({})}
      >{`${isConnected} ${progress} ${node.status} ${running} ${Object.keys(nodeStatuses).length}`}</button>
      <WorkflowCanvas workflowId={id} graph={{ nodes: [{ id: 'a' }], edges: [] }} showToolbar />
      <ProgressBar />
      <LogPanel />
      <RunToolbar />
    </WorkflowProvider>
  );
}

// React Flow's controlled pattern with flowpulse's own node and edge types, and a graph kept `as const`.
const initialNodes: StatusNodeType[] = [{ id: 'a', type: 'status', position: { x: 0, y: 0 }, data: { label: 'A' } }];
const initialEdges: DataFlowEdgeType[] = [];
export function Controlled() {
  const [nodes, , onNodesChange] = useNodesState(initialNodes);
  const [edges, , onEdgesChange] = useEdgesState(initialEdges);
  return <WorkflowCanvas workflowId="1" nodes={nodes} edges={edges} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} />;
}
const frozenGraph = { nodes: [{ id: 'fetch' }, { id: 'parse' }], edges: [{ source: 'fetch', target: 'parse' }] } as const;
export const Frozen = () => <WorkflowCanvas workflowId="1" graph={frozenGraph} />;
// The layout code, loaded ahead of the first canvas that needs it; and the synchronous layout, for nodes of one's own.
export const layoutReady: Promise<void> = preloadLayout();
export const laidOut: StatusNodeType[] = layoutNodes([{ id: 'a', type: 'status', data: { label: 'A' } }], [], { direction: 'LR' });

// An app passing its own optional props through, as it must under `exactOptionalPropertyTypes`
// (tsconfig.exact.json): every optional field of ours also takes `undefined`, meaning its default.
interface AppProps {
  graph?: WorkflowGraph;
  token?: string;
  maxAttempts?: number;
  dark?: boolean;
  onError?: (e: { message: string }) => void;
  onNodesChange?: (changes: unknown[]) => void;
}
export function PassThrough(p: AppProps) {
  useWorkflowWebSocket('1', { token: p.token, reconnect: { maxAttempts: p.maxAttempts }, onError: p.onError, maxLogs: p.maxAttempts });
  useWorkflowControl({ apiBaseUrl: p.token, token: p.token });
  return (
    <WorkflowCanvas
      workflowId="1"
      graph={p.graph}
      token={p.token}
      colorMode={p.dark ? 'dark' : undefined}
      showToolbar={p.dark}
      onNodesChange={p.onNodesChange}
      layout={{ direction: undefined, nodeWidth: p.maxAttempts }}
      messages={{ logTitle: p.token, statusRunning: p.dark ? 'Läuft' : undefined }}
    />
  );
}
export const passThroughServer = (port?: number, authorize?: () => boolean) =>
  createFlowpulseServer({ port, auth: { authenticate: () => ({}), authorize } });
export const passThroughEngine = (maxConcurrency?: number) =>
  new WorkflowEngine({ workflowId: '1', manager: new ConnectionManager(), maxConcurrency });
export const passThroughClient = (url?: string) => createWorkflowClient({ workflowId: '1', url, batch: undefined });

// flowProps handlers typed by the app's node type: inferred from an annotation, or given.
type WeightedNode = Node<{ weight: number }, 'weighted'>;
export const Typed = () => (
  <>
    <WorkflowCanvas workflowId="1" flowProps={{ onNodeClick: (_e, node: StatusNodeType) => node.data.label }} />
    <WorkflowCanvas<WeightedNode> workflowId="1" flowProps={{ onNodeDoubleClick: (_e, node) => node.data.weight.toFixed() }} />
    <WorkflowCanvas workflowId="1" flowProps={{ onInit: (instance: ReactFlowInstance) => instance.fitView() }} />
  </>
);

const message: ServerMessage = createNodeStatusMessage({ workflowId: '1', executionId: 'e', nodeId: 'a', status: 'running' });
export const parsed = parseServerMessage(JSON.stringify(message));
export const valid: boolean = validateServerMessage(message).ok;
export const client = createWorkflowClient({ workflowId: '1' });
export const state = reduceWorkflow(client.store.getState(), message);
export const control = createWorkflowControl({ workflowId: '1', apiBaseUrl: 'http://localhost:8000' });
// Checking `ok` narrows a control result, under `strict`: its data on success, its error on failure.
export async function startThenPause(): Promise<string> {
  const run = await control.execute({ user: 'ada' });
  if (!run.ok) return run.error.toUpperCase();
  await control.act(run.data.execution_id, 'pause');
  return run.data.execution_id;
}
export const server = createFlowpulseServer({ port: 0 });
export const engine = new WorkflowEngine({ workflowId: '1', manager: new ConnectionManager() });
export { messagesSchema, StatusNode, DataFlowEdge };

// The declarations resolve to real types, not `any`: under a resolution that cannot follow them,
// every line below would compile, and the unused expectations would fail the check.
// @ts-expect-error a workflow id is a string
useWorkflowWebSocket(42);
// @ts-expect-error not an option of the engine
export const wrong = new WorkflowEngine({ workflowId: '1', bogusOption: 1 });
// @ts-expect-error not a message type
export const notAMessage: ServerMessage = { type: 'nonsense' };
// @ts-expect-error the control entry knows its options
createWorkflowControl({ workflowId: '1', apiBaseUrl: 1 });
