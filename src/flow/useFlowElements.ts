import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { Edge, Node, XYPosition } from '@xyflow/react';
import { DEFAULT_MESSAGES, type CanvasMessages } from './canvasMessages';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { graphLabels, graphToFlow } from './graphToFlow';
import { layoutHandles, type LayoutOptions } from './layout';
import { layoutEngineState, preloadLayout, serverLayoutEngineState, subscribeLayoutEngine } from './layoutEngine';
import type { CanvasNodeInput, WorkflowGraph } from './types';

/** Inputs of {@link useFlowElements}: React Flow elements or a plain graph. */
export interface FlowElementsInput {
  nodes?: readonly CanvasNodeInput[] | undefined;
  edges?: readonly Edge[] | undefined;
  graph?: WorkflowGraph | undefined;
  layout?: LayoutOptions | undefined;
  /** The words of a `graph`'s edge names (`edgeLabel`). @default those of the nearest `CanvasMessagesProvider` */
  messages?: CanvasMessages | undefined;
}

const NO_EDGES: Edge[] = [];
const ignore = () => {};

/** What the hook remembers between inputs, for one set of layout options. */
interface LayoutCache {
  options: string;
  /** The graph laid out (`undefined` for controlled nodes): a new graph is laid out afresh. */
  graph: WorkflowGraph | undefined;
  /** Positions the layout gave, by node id: a node laid out once stays where it was put. */
  positions: Map<string, XYPosition>;
  /** Output node per input node object, with the position it was made with. */
  nodes: WeakMap<CanvasNodeInput, { position: XYPosition; node: Node }>;
  /** Typed copy per untyped input edge. */
  edges: WeakMap<Edge, Edge>;
}

/**
 * The graph, keeping the identity of the previous one while it is equal: a
 * graph written inline is a new object on every render, and a new graph would
 * drop the user's selection and dragged positions. Compared by JSON text; a
 * graph that has none (a cycle, a BigInt) is compared by identity.
 */
function useEqualGraph(graph: WorkflowGraph | undefined): WorkflowGraph | undefined {
  // `kept`: the graph returned; `seen`: the last one given (an equal copy of `kept`, or `kept` itself).
  const last = useRef<{ kept: WorkflowGraph | undefined; seen: WorkflowGraph | undefined; text: string | null } | null>(null);
  // Serialized only when a different object comes: the canvas re-renders on every drag frame with the same one.
  if (last.current && graph === last.current.seen) return last.current.kept;
  let text: string | null = null;
  try {
    text = graph ? JSON.stringify(graph) : null;
  } catch {
    // Not JSON: identity it is.
  }
  const equal = last.current !== null && text !== null && text === last.current.text;
  last.current = { kept: equal ? last.current!.kept : graph, seen: graph, text };
  return last.current.kept;
}

/**
 * React Flow nodes and edges for the canvas, laid out where positions are
 * missing. Memoized on the inputs' identity: run state never changes them,
 * so React Flow's `nodes` array changes only when the graph does.
 * Nodes and edges without a type become `status` and `dataflow`. A new
 * `graph` (not JSON-equal to the last) is laid out afresh, and all its nodes
 * take the handles of the layout direction. A `graph`'s edges are named for
 * assistive technology in the words of `messages` (`From Fetch to Parse`);
 * other messages rename them without touching the nodes.
 *
 * Controlled `nodes` (the app applies React Flow's changes and passes the
 * result back) stay cheap and still: a node laid out once keeps its position
 * for as long as the layout options stay the same, only nodes new to the hook
 * are laid out (among the others, which do not move), and an input node object
 * seen before maps to the same output object, so React Flow re-renders only
 * the nodes that changed. Dragging one node never moves the rest.
 *
 * The layout engine (dagre) is loaded on first need, once for the page (see
 * {@link preloadLayout}); once it is there, layouts are ready on the render
 * that needs them. Until then the nodes waiting for it are left out, with
 * their edges, and `pending` is true; `layoutError` says why it failed to
 * load, if it did (`preloadLayout()` tries again). Nodes that all have
 * positions never load it.
 *
 * @example
 * const { nodes, edges, pending } = useFlowElements({ graph });
 */
export function useFlowElements({ nodes, edges, graph: graphProp, layout, messages }: FlowElementsInput): {
  nodes: Node[];
  edges: Edge[];
  /** Some nodes wait for the layout engine to load: they, and their edges, are not in `nodes` and `edges` yet. */
  pending: boolean;
  /** Why the layout engine did not load, while nodes wait for it. */
  layoutError: Error | null;
} {
  const direction = layout?.direction;
  const nodeWidth = layout?.nodeWidth;
  const nodeHeight = layout?.nodeHeight;
  const rankSep = layout?.rankSep;
  const nodeSep = layout?.nodeSep;
  // The current layout and the one before, of the same graph: a canvas that flips direction as it is
  // resized back and forth (`auto`) lays a large graph out once per direction, not once per flip.
  const cachesRef = useRef<LayoutCache[]>([]);
  const graph = useEqualGraph(graphProp);
  const contextMessages = useCanvasMessages();
  const engineState = useSyncExternalStore(subscribeLayoutEngine, layoutEngineState, serverLayoutEngineState);
  // The engine's arrival (or failure) makes new elements only where nodes wait for it: elsewhere a new
  // `nodes` array would cost the canvas its selection and drags, for nothing. So the memo sees the
  // engine's state as of the last render whose elements were waiting for it.
  const seen = useRef({ waiting: false, engineState });
  if (seen.current.waiting) seen.current.engineState = engineState;
  const result = useMemo(() => {
    const options = [direction, nodeWidth, nodeHeight, rankSep, nodeSep].join('|');
    // New layout options, or another graph (which may reuse ids in another shape), lay everything out afresh.
    const cache = cachesRef.current.find((c) => c.options === options && c.graph === graph) ?? {
      options,
      graph,
      positions: new Map(),
      nodes: new WeakMap(),
      edges: new WeakMap(),
    };
    cachesRef.current = [cache, ...cachesRef.current.filter((c) => c !== cache && c.graph === graph)].slice(0, 2);
    const { positions, nodes: nodeMemo, edges: edgeMemo } = cache;
    const source = graph ? graphToFlow(graph) : { nodes: nodes ?? [], edges: edges ?? NO_EDGES };

    const typedEdges = source.edges.map((e) => {
      if (e.type) return e;
      let typed = edgeMemo.get(e);
      if (!typed) edgeMemo.set(e, (typed = { ...e, type: 'dataflow' }));
      return typed;
    });

    // Lay out only the nodes that have neither a position nor one from an earlier layout.
    const { engine, error } = engineState;
    const missing = source.nodes.some((n) => !n.position && !positions.has(n.id));
    const pending = missing && !engine;
    if (missing && engine) {
      const items = source.nodes.map((n) => ({
        id: n.id,
        width: n.width ?? n.measured?.width,
        height: n.height ?? n.measured?.height,
        position: n.position ?? positions.get(n.id),
      }));
      const placed = engine.placeMissing(items, typedEdges, { direction, nodeWidth, nodeHeight, rankSep, nodeSep });
      for (const [id, position] of placed) positions.set(id, position);
      if (positions.size > source.nodes.length) {
        const present = new Set(source.nodes.map((n) => n.id));
        for (const id of positions.keys()) if (!present.has(id)) positions.delete(id);
      }
    }

    const [targetPosition, sourcePosition] = layoutHandles(direction);
    // Until the engine is there, what has no position yet is left out: never drawn at the origin, then moved.
    const shown = pending ? source.nodes.filter((n) => n.position || positions.has(n.id)) : source.nodes;
    const typedNodes = shown.map((n): Node => {
      // A node the app typed and placed itself is left as it is; a graph's nodes, and controlled nodes
      // the layout placed (dragged since, so positioned now), take the layout's handles.
      if (n.position && n.type && !graph && !positions.has(n.id)) return n as Node;
      const position = n.position ?? (positions.get(n.id) as XYPosition);
      const seen = nodeMemo.get(n);
      if (seen && seen.position === position) return seen.node;
      const node: Node =
        n.position && !graph && !positions.has(n.id)
          ? { ...n, type: 'status', position }
          : { targetPosition, sourcePosition, ...n, type: n.type ?? 'status', position };
      nodeMemo.set(n, { position, node });
      return node;
    });
    if (!pending) return { nodes: typedNodes, edges: typedEdges, pending, layoutError: null };
    const ids = new Set(shown.map((n) => n.id));
    const shownEdges = typedEdges.filter((e) => ids.has(e.source) && ids.has(e.target));
    return { nodes: typedNodes, edges: shownEdges, pending, layoutError: error };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the engine's state counts only while nodes wait for it.
  }, [graph, nodes, edges, direction, nodeWidth, nodeHeight, rankSep, nodeSep, seen.current.engineState]);
  seen.current.waiting = result.pending;
  // A failure from before this canvas mounted (another canvas's, perhaps long ago) is tried again once, and
  // not shown meanwhile: one bad moment of the network must not leave every later canvas of the page broken.
  const staleError = useRef(engineState.error);
  // Loaded from an effect, not during a render. A failure of this canvas's own load stays in the engine's
  // state: trying again is an explicit call (`preloadLayout()`, the canvas's Try again), not a loop.
  useEffect(() => {
    if (!result.pending || (engineState.error && engineState.error !== staleError.current)) return;
    staleError.current = null;
    preloadLayout().catch(ignore);
  }, [result.pending, engineState.error]);
  const hideStale = result.layoutError !== null && result.layoutError === staleError.current;
  // A graph's edges are named in the words of the messages: a new catalog renames them (new edge
  // objects), and leaves the nodes as they are, so the canvas keeps its selection and drags.
  const edgeLabel = (messages ?? contextMessages).edgeLabel;
  const namedEdges = useMemo(() => {
    if (!graph || edgeLabel === DEFAULT_MESSAGES.edgeLabel) return result.edges;
    const labelOf = graphLabels(graph);
    return result.edges.map((e) => ({
      ...e,
      ariaLabel: edgeLabel(labelOf(e.source), labelOf(e.target), typeof e.label === 'string' && e.label ? e.label : null),
    }));
  }, [result.edges, graph, edgeLabel]);
  return useMemo(
    () =>
      hideStale || namedEdges !== result.edges
        ? { ...result, edges: namedEdges, layoutError: hideStale ? null : result.layoutError }
        : result,
    [result, hideStale, namedEdges],
  );
}
