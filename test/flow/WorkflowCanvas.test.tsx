import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { Profiler, useState, type Dispatch, type SetStateAction } from 'react';
import { applyNodeChanges, ReactFlowProvider, useStore, type Edge, type Node, type NodeProps, type ReactFlowInstance } from '@xyflow/react';
import { describe, expect, it, vi } from 'vitest';
import {
  CanvasView,
  nodeTypes,
  StatusNode,
  WorkflowCanvas,
  type CanvasNodeInput,
  type StatusNodeType,
  type WorkflowGraph,
} from 'flowpulse/flow';
import { useNodeStatus, WorkflowProvider, type SocketLike } from 'flowpulse';
import { msg, settle, testClient, withClient, WF } from './helpers';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'fetch', label: 'Fetch orders' },
    { id: 'parse', label: 'Parse' },
    { id: 'enrich', label: 'Enrich' },
    { id: 'store', label: 'Store' },
  ],
  edges: [
    { source: 'fetch', target: 'parse' },
    { source: 'parse', target: 'enrich' },
    { source: 'enrich', target: 'store' },
  ],
};

const position = (container: HTMLElement, id: string) => {
  const el = container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement;
  const [, x, y] = /translate\(([-\d.]+)px,\s*([-\d.]+)px\)/.exec(el.style.transform) ?? [];
  return { x: Number(x), y: Number(y) };
};

describe('WorkflowCanvas', () => {
  it('inside a WorkflowProvider shows its run on a laid-out graph, with every panel', async () => {
    const client = testClient();
    const { container } = render(
      withClient(
        client,
        <div style={{ height: 700 }}>
          <WorkflowCanvas graph={graph} />
        </div>,
      ),
    );
    await settle();
    expect(container.querySelectorAll('.fp-node')).toHaveLength(4);
    expect(screen.getByRole('progressbar')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Disconnected: not started');
    expect(screen.getByRole('log')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Workflow graph' })).toBeTruthy();

    act(() => {
      client.store.enqueue(msg.start(['fetch', 'parse', 'enrich', 'store']));
      client.store.enqueue(msg.progress(1, 4, 'fetch'));
      client.store.enqueue(msg.status('fetch', 'running'));
    });
    expect(container.querySelector('[data-id="fetch"] .fp-node')?.className).toContain('fp-node--running');
    expect(screen.getByText('25% · step 1 of 4 · Fetch orders')).toBeTruthy();
  });

  it('lays a plain graph out top to bottom with dagre, once per graph', async () => {
    const client = testClient();
    const onInit = vi.fn<(i: ReactFlowInstance) => void>();
    const onNodesChange = vi.fn();
    const flowProps = { onInit };
    const view = render(withClient(client, <WorkflowCanvas graph={graph} flowProps={flowProps} onNodesChange={onNodesChange} />));
    await settle();
    const ys = ['fetch', 'parse', 'enrich', 'store'].map((id) => position(view.container, id).y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    expect(new Set(ys).size).toBe(4);
    const xs = ['fetch', 'parse', 'enrich', 'store'].map((id) => position(view.container, id).x);
    expect(new Set(xs).size).toBe(1);

    const changesBefore = onNodesChange.mock.calls.length;
    act(() => {
      client.store.enqueue(msg.start(['fetch', 'parse', 'enrich', 'store']));
      client.store.enqueue(msg.status('fetch', 'completed', 10, { result: 1 }));
      client.store.enqueue(msg.flow('fetch', 'parse'));
    });
    view.rerender(withClient(client, <WorkflowCanvas graph={graph} flowProps={flowProps} onNodesChange={onNodesChange} />));
    await settle();
    // Run state and re-renders with the same graph leave React Flow's nodes alone.
    expect(onNodesChange.mock.calls.length).toBe(changesBefore);
    const instance = onInit.mock.calls[0]?.[0] as ReactFlowInstance;
    expect(instance.getNodes().every((n) => Object.keys(n.data).every((k) => ['label', 'type', 'description'].includes(k)))).toBe(true);
  });

  it('lays out nodes named like Object properties, and leaves Object.prototype alone', async () => {
    const odd: WorkflowGraph = {
      nodes: [{ id: 'constructor' }, { id: '__proto__' }, { id: 'toString' }, { id: 'next' }],
      edges: [
        { source: 'constructor', target: '__proto__' },
        { source: '__proto__', target: 'next' },
      ],
    };
    const { container } = render(withClient(testClient(), <WorkflowCanvas graph={odd} />));
    await settle();
    expect(Object.keys(Object.prototype)).toEqual([]);
    const ys = ['constructor', '__proto__', 'next'].map((id) => position(container, id).y);
    expect(ys[0]).toBeLessThan(ys[1]!);
    expect(ys[1]).toBeLessThan(ys[2]!);
  });

  it.each([
    ['wide', { width: 1200, height: 400 }, 'x'],
    ['tall', { width: 300, height: 900 }, 'y'],
  ] as const)("with direction 'auto', a %s canvas lays a chain out along its long side", async (_, size, axis) => {
    // React Flow measures its pane (.react-flow__renderer); jsdom has no layout, so that size is given here.
    const descriptors = ['offsetWidth', 'offsetHeight'].map(
      (key) => [key, Object.getOwnPropertyDescriptor(HTMLElement.prototype, key)!] as const,
    );
    for (const [key, original] of descriptors) {
      Object.defineProperty(HTMLElement.prototype, key, {
        configurable: true,
        get(this: HTMLElement) {
          if (this.classList.contains('react-flow__renderer')) return key === 'offsetWidth' ? size.width : size.height;
          return original.get!.call(this);
        },
      });
    }
    try {
      const chain: WorkflowGraph = {
        nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
        edges: [
          { source: 'a', target: 'b' },
          { source: 'b', target: 'c' },
        ],
      };
      const { container } = render(withClient(testClient(), <WorkflowCanvas graph={chain} layout={{ direction: 'auto' }} />));
      await settle();
      const [a, b, c] = ['a', 'b', 'c'].map((id) => position(container, id)[axis]);
      expect(a).toBeLessThan(b!);
      expect(b).toBeLessThan(c!);
      const other = axis === 'x' ? 'y' : 'x';
      expect(new Set(['a', 'b', 'c'].map((id) => position(container, id)[other])).size).toBe(1);
    } finally {
      for (const [key, original] of descriptors) Object.defineProperty(HTMLElement.prototype, key, original);
    }
  });

  it('keeps positions it is given and accepts React Flow nodes and edges', async () => {
    const client = testClient();
    const nodes = [
      { id: 'a', position: { x: 500, y: 40 }, data: { label: 'A' } },
      { id: 'b', data: { label: 'B' } },
    ];
    const edges: Edge[] = [{ id: 'a-b', source: 'a', target: 'b' }];
    const { container } = render(withClient(client, <WorkflowCanvas nodes={nodes} edges={edges} showLogs={false} />));
    await settle();
    expect(position(container, 'a')).toEqual({ x: 500, y: 40 });
    expect(container.querySelector('[data-id="a"]')?.className).toContain('react-flow__node-status');
    expect(container.querySelector('.react-flow__edge[data-id="a-b"] .fp-edge')).not.toBeNull();
    expect(screen.queryByRole('log')).toBeNull();
  });

  it('with a workflowId connects by itself, with the connection options given', async () => {
    const urls: string[] = [];
    class FakeSocket implements SocketLike {
      readyState = 0;
      onopen = null;
      onmessage = null;
      onclose = null;
      onerror = null;
      constructor(url: string) {
        urls.push(url);
      }
      send() {}
      close() {}
    }
    render(<WorkflowCanvas workflowId="wf-9" baseUrl="ws://example.test:9000" WebSocket={FakeSocket} graph={graph} />);
    await settle();
    expect(urls).toEqual(['ws://example.test:9000/api/ws/workflow/wf-9']);
    expect(screen.getByRole('status').textContent).toBe('Connecting…');
  });

  it('needs a workflowId or a surrounding provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<WorkflowCanvas graph={graph} />)).toThrow(/needs a workflowId/);
    vi.mocked(console.error).mockRestore();
  });

  it('refuses a client for another workflow than its workflowId', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<WorkflowCanvas client={testClient()} workflowId="other" graph={graph} />)).toThrow(
      /workflowId "other" and a client for workflow "123"/,
    );
    vi.mocked(console.error).mockRestore();
    // The same id, or none, is fine.
    render(<WorkflowCanvas client={testClient()} workflowId={WF} graph={graph} showLogs={false} />);
    expect(screen.getByRole('region', { name: 'Workflow graph' })).toBeTruthy();
  });

  it('centres, selects and focuses a node when its error or log line is clicked', async () => {
    const client = testClient();
    const onInit = vi.fn<(i: ReactFlowInstance) => void>();
    const { container } = render(
      <WorkflowProvider workflowId={WF} client={client} enabled={false}>
        <WorkflowCanvas graph={graph} flowProps={{ onInit }} />
      </WorkflowProvider>,
    );
    await settle();
    const instance = onInit.mock.calls[0]?.[0] as ReactFlowInstance;
    act(() => {
      client.store.enqueue(msg.start(['fetch', 'parse', 'enrich', 'store']));
      client.store.enqueue(msg.status('enrich', 'error', 5, { error: 'lookup failed' }));
      client.store.enqueue(msg.error('lookup failed', 'enrich'));
      client.store.enqueue(msg.log('parsed 12 rows', 'info', 'parse'));
    });
    const banner = screen.getByRole('heading', { name: /1 error/ }).closest('section') as HTMLElement;
    fireEvent.click(within(banner).getByRole('button', { name: /Enrich/ }));
    await settle();
    const enrich = container.querySelector('.react-flow__node[data-id="enrich"]') as HTMLElement;
    expect(enrich.classList.contains('selected')).toBe(true);
    expect(document.activeElement).toBe(enrich);
    expect(
      instance
        .getNodes()
        .filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['enrich']);

    // Selecting the node filtered the logs to it; clearing the chip shows every node's lines again.
    const logs = screen.getByRole('log').closest('section') as HTMLElement;
    expect(within(logs).getByText(/Filtered to node/).textContent).toContain('Enrich');
    expect(within(screen.getByRole('log')).queryByText('parsed 12 rows')).toBeNull();
    fireEvent.click(within(logs).getByRole('button', { name: /Clear the node filter/ }));
    fireEvent.click(within(screen.getByRole('log')).getByRole('button', { name: 'Parse' }));
    await settle();
    expect(
      instance
        .getNodes()
        .filter((n) => n.selected)
        .map((n) => n.id),
    ).toEqual(['parse']);
    expect(document.activeElement).toBe(container.querySelector('.react-flow__node[data-id="parse"]'));
    // Centred: the viewport ends with the node's centre in the middle of the pane.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    const pane = container.querySelector('.react-flow') as HTMLElement;
    const node = instance.getInternalNode('parse')!;
    const { x, y, zoom } = instance.getViewport();
    const centre = { x: node.internals.positionAbsolute.x + 90, y: node.internals.positionAbsolute.y + 32 };
    expect(zoom).toBeGreaterThanOrEqual(1);
    expect(x + centre.x * zoom).toBeCloseTo(pane.offsetWidth / 2, 0);
    expect(y + centre.y * zoom).toBeCloseTo(pane.offsetHeight / 2, 0);
  });

  it('with controlled nodes, a drag-like update moves that node alone and re-renders no other node', async () => {
    const renders = new Map<string, number>();
    function Counted(props: NodeProps<StatusNodeType>) {
      return (
        <Profiler id={props.id} onRender={(id) => renders.set(id, (renders.get(id) ?? 0) + 1)}>
          <StatusNode {...props} />
        </Profiler>
      );
    }
    const countedTypes = { status: Counted };
    const edges: Edge[] = graph.edges.map((e) => ({ id: `${e.source}-${e.target}`, source: e.source, target: e.target }));
    let setNodes!: Dispatch<SetStateAction<CanvasNodeInput[]>>;
    function App() {
      const [nodes, set] = useState<CanvasNodeInput[]>(() => graph.nodes.map((n) => ({ id: n.id, data: { label: n.label } })));
      setNodes = set;
      return (
        <WorkflowCanvas
          nodes={nodes}
          edges={edges}
          nodeTypes={countedTypes}
          showLogs={false}
          // The app applies React Flow's changes itself: the controlled pattern.
          onNodesChange={(changes) => set((current) => applyNodeChanges(changes, current as Node[]))}
        />
      );
    }
    const client = testClient();
    const { container } = render(withClient(client, <App />));
    await settle();
    const ids = ['fetch', 'parse', 'enrich', 'store'];
    const before = Object.fromEntries(ids.map((id) => [id, position(container, id)]));
    expect(new Set(ids.map((id) => before[id]!.y)).size).toBe(4);

    renders.clear();
    act(() => setNodes((nodes) => nodes.map((n) => (n.id === 'parse' ? { ...n, position: { x: 700, y: -200 } } : n))));
    await settle();
    expect(position(container, 'parse')).toEqual({ x: 700, y: -200 });
    for (const id of ['fetch', 'enrich', 'store']) expect(position(container, id)).toEqual(before[id]);
    expect([...renders.keys()]).toEqual(['parse']);

    // A new node is laid out below its neighbour; the others stay put.
    act(() => setNodes((nodes) => [...nodes, { id: 'audit', data: { label: 'Audit' } }]));
    await settle();
    expect(container.querySelector('[data-id="audit"] .fp-node')).not.toBeNull();
    for (const id of ['fetch', 'enrich', 'store']) expect(position(container, id)).toEqual(before[id]);
  });

  it('passes colorMode to React Flow and styles the panels to match', async () => {
    const client = testClient();
    const { container } = render(withClient(client, <WorkflowCanvas graph={graph} colorMode="dark" />));
    await settle();
    expect(container.querySelector('.fp-canvas')?.classList.contains('fp-dark')).toBe(true);
    expect(container.querySelector('.react-flow')?.classList.contains('dark')).toBe(true);
  });
});

describe('WorkflowCanvas with graphs that change, and more than one canvas', () => {
  const nodeY = (container: HTMLElement, id: string) =>
    Number(
      /translate\([-\d.]+px,\s*([-\d.]+)px\)/.exec(
        container.querySelector<HTMLElement>(`.react-flow__node[data-id="${id}"]`)!.style.transform,
      )![1],
    );
  const chain = (...ids: string[]): WorkflowGraph => ({
    nodes: ids.map((id) => ({ id })),
    edges: ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id })),
  });
  function switchable(first: WorkflowGraph) {
    let setGraph!: Dispatch<SetStateAction<WorkflowGraph>>;
    function App() {
      const [graph, set] = useState(first);
      setGraph = set;
      return <WorkflowCanvas graph={graph} />;
    }
    return { app: <App />, setGraph: (g: WorkflowGraph) => act(() => setGraph(g)) };
  }

  it('lays out a new graph afresh even when it reuses node ids', async () => {
    const { app, setGraph } = switchable(chain('start', 'process', 'end'));
    const { container } = render(withClient(testClient(), app));
    await settle();
    setGraph(chain('start', 'validate', 'process', 'end'));
    await settle();
    const ys = ['start', 'validate', 'process', 'end'].map((id) => nodeY(container, id));
    for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(72); // no overlap, each below the last
    setGraph(chain('end', 'process', 'start'));
    await settle();
    expect(nodeY(container, 'end')).toBeLessThan(nodeY(container, 'start')); // reversed: reads top to bottom again
  });

  it('gives a graph node that has a position the handles of the layout direction too', async () => {
    const graph: WorkflowGraph = { nodes: [{ id: 'a', position: { x: 0, y: 0 } }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };
    const { container } = render(withClient(testClient(), <WorkflowCanvas graph={graph} layout={{ direction: 'LR' }} />));
    await settle();
    const sourceHandle = (id: string) => container.querySelector(`[data-id="${id}"] .react-flow__handle.source`)!.className;
    expect(sourceHandle('a')).toContain('react-flow__handle-right');
    expect(sourceHandle('b')).toContain('react-flow__handle-right');
  });

  it('two canvases on one page share no element id (arrow markers included)', async () => {
    const graph = chain('a', 'b');
    const { container } = render(
      <>
        <WorkflowCanvas workflowId="A" enabled={false} graph={graph} />
        <WorkflowCanvas workflowId="B" enabled={false} graph={graph} />
      </>,
    );
    await settle();
    const ids = [...container.querySelectorAll('[id]')].map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const markers = [...container.querySelectorAll('.react-flow__edge-path')].map((p) => p.getAttribute('marker-end'));
    expect(new Set(markers).size).toBe(2);
  });

  it('with node types of the app’s own, the key help leaves out the details Enter only StatusNode opens', async () => {
    const mine = { ...nodeTypes, mine: (props: NodeProps) => <div>{props.id}</div> };
    const { container } = render(
      withClient(testClient(), <WorkflowCanvas nodes={[{ id: 'a', type: 'mine', position: { x: 0, y: 0 }, data: {} }]} nodeTypes={mine} />),
    );
    await settle();
    const node = container.querySelector<HTMLElement>('.react-flow__node[data-id="a"]')!;
    const description = document.getElementById(node.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent;
    expect(description).toMatch(/Space to select a node/);
    expect(description).not.toMatch(/Enter/);
  });

  it('draws a graph node with the renderer it names, which reads its run state like StatusNode', async () => {
    function Card({ id, data }: NodeProps) {
      const { status } = useNodeStatus(id);
      return <div className="card">{`${String(data.label)}: ${status}`}</div>;
    }
    const client = testClient();
    const graph: WorkflowGraph = {
      nodes: [{ id: 'a', label: 'Fetch', renderer: 'card' }, { id: 'b' }],
      edges: [{ source: 'a', target: 'b' }],
    };
    const { container } = render(withClient(client, <WorkflowCanvas graph={graph} nodeTypes={{ ...nodeTypes, card: Card }} />));
    await settle();
    act(() => {
      client.store.enqueue(msg.start(['a', 'b']));
      client.store.enqueue(msg.status('a', 'running'));
    });
    expect(container.querySelector('.react-flow__node-card[data-id="a"]')!.textContent).toBe('Fetch: running');
    expect(container.querySelector('.react-flow__node-status[data-id="b"]')).not.toBeNull();
  });

  it('CanvasView under the app’s own ReactFlowProvider shares React Flow’s store with panels beside it', async () => {
    let seen = -1;
    function Probe() {
      seen = useStore((s) => s.nodes.length);
      return null;
    }
    render(
      withClient(
        testClient(),
        <ReactFlowProvider>
          <CanvasView graph={chain('a', 'b', 'c')} />
          <Probe />
        </ReactFlowProvider>,
      ),
    );
    await settle();
    expect(seen).toBe(3);
  });

  it("describes what a node's keys do here, not React Flow's Delete, and a finished node's Enter", async () => {
    const client = testClient();
    const { container } = render(withClient(client, <WorkflowCanvas graph={chain('a')} />));
    await settle();
    const node = container.querySelector<HTMLElement>('.react-flow__node[data-id="a"]')!;
    const texts = () =>
      node
        .getAttribute('aria-describedby')!
        .split(' ')
        .map((id) => document.getElementById(id)!.textContent);
    expect(texts()).toEqual(['Press Space to select a node and show only its logs, arrow keys to move it.']);
    act(() => {
      client.store.enqueue(msg.start(['a']));
      client.store.enqueue(msg.status('a', 'completed', 5, { result: 1 }));
    });
    expect(texts()).toEqual([
      'Press Enter for its details.',
      'Press Space to select a node and show only its logs, arrow keys to move it.',
    ]);
  });
});
