import { memo, useCallback, useId, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  ReactFlow,
  useStore,
  type ColorMode,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  type Node,
  type NodeChange,
  type NodeTypes,
  type OnEdgesChange,
  type OnNodesChange,
  type ReactFlowProps,
  type ReactFlowState,
} from '@xyflow/react';
import type { UseWorkflowControlOptions } from '../control';
import { AuthNotice } from './AuthNotice';
import { CanvasContext, type CanvasContextValue } from './canvasContext';
import type { CanvasMessageOverrides, CanvasMessages } from './canvasMessages';
import { CanvasMessagesContextProvider, useCanvasMessages, useMergedMessages } from './CanvasMessagesProvider';
import { ConnectionIndicator } from './ConnectionIndicator';
import { edgeTypes as defaultEdgeTypes, nodeTypes as defaultNodeTypes } from './elementTypes';
import { ErrorBanner } from './ErrorBanner';
import type { LayoutOptions } from './layout';
import { LayoutFailed } from './LayoutFailed';
import { LayoutStatus } from './LayoutStatus';
import { LogPanel } from './LogPanel';
import { MetricsPanel } from './MetricsPanel';
import { ProgressBar } from './ProgressBar';
import { RunToolbar } from './RunToolbar';
import { StaleRunNotice } from './StaleRunNotice';
import type { CanvasNodeInput, WorkflowGraph } from './types';
import { useColorScheme } from './useColorScheme';
import { useFlowElements } from './useFlowElements';
import { useAutoFit } from './useAutoFit';
import { useFocusNode } from './useFocusNode';
import { useReportLayoutError } from './useReportLayoutError';

// The panels read the workflow store themselves; memoized, they skip the
// canvas's own re-renders (every selection change and drag frame).
const HeaderToolbar = memo(RunToolbar);
const HeaderProgress = memo(ProgressBar);
const HeaderConnection = memo(ConnectionIndicator);
const Metrics = memo(MetricsPanel);
const Auth = memo(AuthNotice);
const Stale = memo(StaleRunNotice);
const Errors = memo(ErrorBanner);
const Logs = memo(LogPanel);

// The log panel follows a single selected node; several (or none) means all nodes.
// A string or null, so dragging (new node objects, same selection) changes nothing.
function singleSelectedNode(state: ReactFlowState): string | null {
  let found: string | null = null;
  for (const n of state.nodes) {
    if (!n.selected) continue;
    if (found !== null) return null;
    found = n.id;
  }
  return found;
}

// Wide until measured: most canvases are, and a large graph laid out the other way first costs a second.
const paneIsWide = (s: ReactFlowState) => s.width === 0 || s.width > s.height;

/** The log panel, filtered to React Flow's single selected node: re-renders when that id changes, not on drags. */
function SelectionLogPanel() {
  const selectedNodeId = useStore(singleSelectedNode);
  return <Logs selectedNodeId={selectedNodeId} />;
}

/** `F`, with its parameters checked as a method's are (bivariantly), in a property that may be `undefined`. */
type Bivariant<F extends (...args: never[]) => unknown> = { method(...args: Parameters<F>): ReturnType<F> }['method'];

/** The props of `<ReactFlow>` the canvas leaves to the app. */
type FlowProps<NodeType extends Node, EdgeType extends Edge> = Omit<
  ReactFlowProps<NodeType, EdgeType>,
  'nodes' | 'edges' | 'onNodesChange' | 'onEdgesChange' | 'nodeTypes' | 'edgeTypes' | 'colorMode' | 'children'
>;

/**
 * What the canvas shows, apart from where its state comes from. `NodeType`
 * and `EdgeType` type the handlers of `flowProps` (`onNodeClick`, …); they
 * are inferred from a handler's annotation (`(e, node: StatusNodeType) => …`),
 * or given: `<WorkflowCanvas<StatusNodeType> … />`.
 */
export interface CanvasViewProps<NodeType extends Node = Node, EdgeType extends Edge = Edge> {
  /**
   * React Flow nodes; those without a position are laid out, once: a node keeps
   * the position it was given while the layout options stay the same, and only
   * nodes new to the canvas are laid out later. The layout code is loaded the
   * first time a node needs it (see `preloadLayout`); until then such nodes are
   * not drawn, nor their edges. Memoize it. Controlled use (you
   * apply `onNodesChange` yourself and pass the result back) is supported:
   * unchanged node objects stay the same objects for React Flow.
   */
  nodes?: CanvasNodeInput[] | undefined;
  /** React Flow edges. Memoize it. */
  edges?: Edge[] | undefined;
  /** A plain graph instead of `nodes`/`edges`; laid out top to bottom where positions are missing. Memoize it. */
  graph?: WorkflowGraph | undefined;
  layout?: LayoutOptions | undefined;
  /** Passed to React Flow; the panels follow it. @default 'light' */
  colorMode?: ColorMode | undefined;
  /** @default true */
  showProgress?: boolean | undefined;
  /** @default true */
  showConnection?: boolean | undefined;
  /** @default true */
  showErrors?: boolean | undefined;
  /** @default true */
  showLogs?: boolean | undefined;
  /**
   * The server-health strip ({@link MetricsPanel}). It renders nothing until a
   * `metrics` sample arrives, and samples come only when the client asked for
   * them (`metrics: true`), so on by default costs nothing.
   * @default true
   */
  showMetrics?: boolean | undefined;
  /** The stale-run and sign-in notices ({@link StaleRunNotice}, {@link AuthNotice}). @default true */
  showNotices?: boolean | undefined;
  /**
   * Run, Pause, Resume and Cancel ({@link RunToolbar}) in the header. Off by
   * default: watching needs no REST access, and apps often put run controls
   * elsewhere (give `control` for the REST options).
   * @default false
   */
  showToolbar?: boolean | undefined;
  /** What the toolbar's Run sends as `initial_inputs`. @default {} */
  runInputs?: Record<string, unknown> | undefined;
  /** REST options (`token`, `fetch`, `apiBaseUrl`) for the toolbar and for fetching large node results. Memoize it. */
  control?: UseWorkflowControlOptions | undefined;
  /** @default {@link nodeTypes} */
  nodeTypes?: NodeTypes | undefined;
  /** @default {@link edgeTypes} */
  edgeTypes?: EdgeTypes | undefined;
  /**
   * Told about selection, drag and measurement changes, after the canvas applied them.
   * Checked like a method (bivariantly) so the handlers of `useNodesState<StatusNodeType>()` fit.
   */
  onNodesChange?: Bivariant<(changes: NodeChange[]) => void> | undefined;
  onEdgesChange?: Bivariant<(changes: EdgeChange[]) => void> | undefined;
  /** Anything else for `<ReactFlow>`; its handlers get `NodeType` and `EdgeType`. */
  flowProps?: FlowProps<NodeType, EdgeType> | undefined;
  className?: string | undefined;
  style?: CSSProperties | undefined;
  /** The graph region's accessible name. @default 'Workflow graph' (the messages' `canvasLabel`) */
  ariaLabel?: string | undefined;
  /**
   * The canvas's words in another language, or other words: any keys of
   * {@link CanvasMessages}, the rest staying those of an enclosing
   * `CanvasMessagesProvider`, or English. Read by the nodes, edges, panels and
   * dialogs. An inline catalog of strings is fine; memoize one that holds
   * functions. React Flow's own words (its zoom buttons' names) are
   * `flowProps.ariaLabelConfig`'s.
   */
  messages?: CanvasMessageOverrides | undefined;
  /** Rendered inside `<ReactFlow>`: `<MiniMap />`, `<Panel>`s. */
  children?: ReactNode | undefined;
}

/**
 * The canvas proper, inside a React Flow provider and a workflow provider:
 * panels around a React Flow whose nodes change only with the graph (and the
 * user's own selecting and dragging), never with run state. `WorkflowCanvas`
 * wraps it in both providers; use it directly to share your own
 * `ReactFlowProvider` (and so React Flow's store) with panels beside it.
 *
 * @example
 * <WorkflowProvider workflowId="123">
 *   <ReactFlowProvider>
 *     <CanvasView graph={graph} />
 *   </ReactFlowProvider>
 * </WorkflowProvider>
 */
export function CanvasView<NodeType extends Node = Node, EdgeType extends Edge = Edge>({
  nodes,
  edges,
  graph,
  layout,
  colorMode = 'light',
  showProgress = true,
  showConnection = true,
  showErrors = true,
  showLogs = true,
  showMetrics = true,
  showNotices = true,
  showToolbar = false,
  runInputs,
  control,
  nodeTypes = defaultNodeTypes,
  edgeTypes = defaultEdgeTypes,
  onNodesChange,
  onEdgesChange,
  flowProps,
  className,
  style,
  ariaLabel,
  messages: messagesProp,
  children,
}: CanvasViewProps<NodeType, EdgeType>) {
  const messages = useMergedMessages(useCanvasMessages(), messagesProp);
  const container = useRef<HTMLDivElement>(null);
  const flowRegion = useRef<HTMLDivElement>(null);
  // Only characters every `url(#…)` reference and selector takes as they are.
  const flowId = `fp${useId().replace(/[^\w-]/g, '')}`;
  // `auto` follows the canvas's shape: graphs read left to right on a wide canvas, top to bottom on a tall one.
  const wide = useStore(paneIsWide);
  const direction = layout?.direction === 'auto' ? (wide ? 'LR' : 'TB') : layout?.direction;
  const elements = useFlowElements({ nodes, edges, graph, layout: { ...layout, direction }, messages });
  const { layoutError } = elements;
  useReportLayoutError(layoutError);
  const [flowNodes, setFlowNodes] = useState<Node[]>(elements.nodes);
  const [flowEdges, setFlowEdges] = useState<Edge[]>(elements.edges);
  const [adopted, setAdopted] = useState(elements);
  if (adopted.nodes !== elements.nodes || adopted.edges !== elements.edges) {
    // A new graph replaces the canvas's copy, selection and drags included; edges renamed in
    // other words (new messages) replace only the edges.
    setAdopted(elements);
    if (adopted.nodes !== elements.nodes) setFlowEdges(elements.edges);
    else {
      // Only renamed: the edges keep what the canvas did to them (their selection).
      setFlowEdges((current) => {
        const selected = new Set(current.flatMap((e) => (e.selected ? [e.id] : [])));
        return selected.size === 0 ? elements.edges : elements.edges.map((e) => (selected.has(e.id) ? { ...e, selected: true } : e));
      });
    }
    if (adopted.nodes !== elements.nodes) setFlowNodes(elements.nodes);
  }

  const callbacks = useRef({ onNodesChange, onEdgesChange });
  callbacks.current = { onNodesChange, onEdgesChange };
  const handleNodesChange = useCallback<OnNodesChange>((changes) => {
    setFlowNodes((current) => applyNodeChanges(changes, current));
    callbacks.current.onNodesChange?.(changes);
  }, []);
  const handleEdgesChange = useCallback<OnEdgesChange>((changes) => {
    setFlowEdges((current) => applyEdgeChanges(changes, current));
    callbacks.current.onEdgesChange?.(changes);
  }, []);

  // Keyed on the labels themselves: controlled `nodes` change on every drag frame, their labels do not.
  const labelKey = useMemo(
    () => elements.nodes.map((n) => `${n.id}\u0000${typeof n.data?.label === 'string' ? n.data.label : n.id}`).join('\u0001'),
    [elements.nodes],
  );
  const nodeIdsKey = useMemo(() => elements.nodes.map((n) => n.id).join('\u0001'), [elements.nodes]);
  // A new direction is a new layout: fitted afresh, like a new graph.
  useAutoFit(`${nodeIdsKey}\u0002${direction}`, flowProps?.fitView !== false, flowProps?.fitViewOptions);
  const focusNode = useFocusNode(container);
  const labels = useMemo(() => {
    const map = new Map<string, string>();
    for (const entry of labelKey ? labelKey.split('\u0001') : []) {
      const [id, label] = entry.split('\u0000') as [string, string];
      map.set(id, label);
    }
    return map;
  }, [labelKey]);
  const dark = useColorScheme(colorMode) === 'dark';
  // Dark by `colorMode`, or by an `fp-dark` class the app put on the canvas (styles.css documents both).
  const darkPanels = dark || /(^|\s)fp-dark(\s|$)/.test(className ?? '');
  const context = useMemo<CanvasContextValue>(
    () => ({ focusNode, labelOf: (id) => labels.get(id) ?? id, control, dark: darkPanels }),
    [focusNode, labels, control, darkPanels],
  );
  // What a node does with keys on this canvas (React Flow's default text offers Delete, which does nothing here).
  // The same for every node type; a finished StatusNode adds what Enter does to its own description.
  // Under the app's own `ariaLabelConfig` (React Flow's words: zoom buttons, the minimap, …), which may change it too.
  const appAriaLabels = flowProps?.ariaLabelConfig;
  const ariaLabelConfig = useMemo(
    () => ({
      'node.a11yDescription.default': messages.nodeKeys,
      'node.a11yDescription.keyboardDisabled': messages.nodeKeys,
      ...appAriaLabels,
    }),
    [messages.nodeKeys, appAriaLabels],
  );

  return (
    <CanvasMessagesContextProvider value={messages}>
      <CanvasContext.Provider value={context}>
        <div ref={container} className={`fp-canvas${dark ? ' fp-dark' : ''}${className ? ` ${className}` : ''}`} style={style}>
          {(showProgress || showConnection || showToolbar) && (
            <div className="fp-canvas__header">
              {showToolbar && <HeaderToolbar {...control} initialInputs={runInputs} />}
              {showProgress && <HeaderProgress />}
              {showConnection && <HeaderConnection announceAuth={!showNotices} />}
            </div>
          )}
          {showMetrics && <Metrics />}
          {showNotices && (
            <>
              <Auth showRetry={!showConnection} />
              <Stale />
            </>
          )}
          {showErrors && <Errors />}
          {layoutError && <LayoutFailed error={layoutError} onRetry={() => flowRegion.current?.focus()} />}
          <div
            ref={flowRegion}
            className="fp-canvas__flow"
            role="region"
            aria-label={ariaLabel ?? messages.canvasLabel}
            aria-busy={elements.pending || undefined}
            // Focusable by script only: where focus goes when the layout alert it was in goes away.
            tabIndex={-1}
          >
            {elements.pending && !layoutError && <LayoutStatus />}
            <ReactFlow
              nodes={flowNodes}
              edges={flowEdges}
              onNodesChange={handleNodesChange}
              onEdgesChange={handleEdgesChange}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              colorMode={colorMode}
              fitView
              minZoom={0.05}
              nodesConnectable={false}
              // Edges do nothing when focused: Tab goes from node to node, not through every edge first.
              edgesFocusable={false}
              deleteKeyCode={null}
              // React Flow's default id is the same on every canvas: two on a page would share marker and description ids.
              id={flowId}
              // The nodes and edges are the app's own (or status and data-flow ones): its handlers' types hold.
              {...(flowProps as FlowProps<Node, Edge> | undefined)}
              ariaLabelConfig={ariaLabelConfig}
            >
              <Background />
              <Controls showInteractive={false} />
              {children}
            </ReactFlow>
          </div>
          {showLogs && <SelectionLogPanel />}
        </div>
      </CanvasContext.Provider>
    </CanvasMessagesContextProvider>
  );
}
