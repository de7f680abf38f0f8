import { useMemo } from 'react';
import { ReactFlowProvider, type Edge, type Node } from '@xyflow/react';
import { useWorkflowClientContext, WorkflowProvider, type WorkflowHookOptions, type WorkflowProviderProps } from '../react';
import { CanvasView, type CanvasViewProps } from './CanvasView';

/** Props of {@link WorkflowCanvas}: where the run comes from, and what to draw. */
export interface WorkflowCanvasProps<NodeType extends Node = Node, EdgeType extends Edge = Edge>
  extends WorkflowHookOptions, CanvasViewProps<NodeType, EdgeType> {
  /**
   * The workflow to watch; the canvas then runs its own `WorkflowProvider` with
   * the connection options given here (`baseUrl`, `url`, `WebSocket`, `token`,
   * `onError`, `enabled`, …). Without it the canvas uses the surrounding `WorkflowProvider`.
   *
   * Inside a provider for the same workflow, connection props belong to the
   * provider: the canvas shares that provider's client and socket, and its own
   * connection props are ignored (a second socket to the same workflow would
   * only duplicate the first). A `token` given here still serves the canvas's
   * REST calls. To watch the same workflow over a separate connection, pass a
   * `client`.
   */
  workflowId?: string | undefined;
  /**
   * A client to use instead of connecting (replay transports, tests). It is not
   * mounted by the canvas. Its `workflowId` is the canvas's; giving a different
   * `workflowId` as well throws.
   */
  client?: WorkflowProviderProps['client'] | undefined;
  /** `false` keeps the canvas's own socket closed. @default true */
  enabled?: boolean | undefined;
}

/**
 * A workflow run, live, on a React Flow canvas: status nodes, data-flow edges,
 * the progress bar, the connection indicator, stale-run and sign-in notices,
 * server metrics (when the client asked for them), the run's errors and its
 * logs (filtered to the node selected on the canvas); the run toolbar with
 * `showToolbar`. A `token` given here serves the REST calls too, unless
 * `control` says otherwise.
 * Give it `workflowId` (and connection options) to connect by itself, or put
 * it inside a `WorkflowProvider`. Give it React Flow `nodes`/`edges` or a
 * plain `graph`, which is laid out top to bottom where positions are missing
 * (the layout code loads then, on first need: see `preloadLayout`).
 * Import `flowpulse/styles.css` and `@xyflow/react/dist/style.css`, and give it a height.
 *
 * @example
 * const graph = { nodes: [{ id: 'fetch' }, { id: 'parse' }], edges: [{ source: 'fetch', target: 'parse' }] };
 * <div style={{ height: 600 }}>
 *   <WorkflowCanvas workflowId="123" baseUrl="ws://localhost:8000" graph={graph} colorMode="dark" />
 * </div>
 */
export function WorkflowCanvas<NodeType extends Node = Node, EdgeType extends Edge = Edge>(props: WorkflowCanvasProps<NodeType, EdgeType>) {
  const {
    workflowId,
    client,
    enabled,
    nodes,
    edges,
    graph,
    layout,
    colorMode,
    showProgress,
    showConnection,
    showErrors,
    showLogs,
    showMetrics,
    showNotices,
    showToolbar,
    runInputs,
    control,
    nodeTypes,
    edgeTypes,
    onNodesChange,
    onEdgesChange,
    flowProps,
    className,
    style,
    ariaLabel,
    messages,
    children,
    ...connection
  } = props;
  const outer = useWorkflowClientContext();
  // The socket's token is, by default, the REST calls' token too.
  const token = connection.token;
  const rest = useMemo(() => control ?? (token === undefined ? undefined : { token }), [control, token]);
  const view = (
    <ReactFlowProvider>
      <CanvasView
        {...{ nodes, edges, graph, layout, colorMode, showProgress, showConnection, showErrors, showLogs }}
        {...{ showMetrics, showNotices, showToolbar, runInputs, control: rest }}
        {...{ nodeTypes, edgeTypes, onNodesChange, onEdgesChange, flowProps, className, style, ariaLabel, messages, children }}
      />
    </ReactFlowProvider>
  );
  if (client && workflowId !== undefined && workflowId !== client.workflowId) {
    throw new Error(
      `<WorkflowCanvas> was given workflowId "${workflowId}" and a client for workflow "${client.workflowId}": ` +
        'the client decides which workflow is watched, so leave workflowId out or make them match',
    );
  }
  const id = workflowId ?? client?.workflowId;
  if (id !== undefined && (client || outer?.workflowId !== id)) {
    return (
      <WorkflowProvider {...connection} workflowId={id} client={client} enabled={enabled}>
        {view}
      </WorkflowProvider>
    );
  }
  if (!outer) throw new Error('<WorkflowCanvas> needs a workflowId (or a client), or a surrounding <WorkflowProvider>');
  return view;
}
