/**
 * Model-based test of the canvas: random graphs (odd ids, parallel and self edges), controlled or
 * not, layout directions, server messages, opening and closing details, selection and unmounts,
 * with the rendered nodes, edges, flows, progress and focus checked against the store after every
 * step. RUNS and SEED tune a longer hunt.
 */
import './setup-react-flow';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { Component, useMemo, useState, type ReactNode } from 'react';
import { applyNodeChanges, type Node, type NodeChange } from '@xyflow/react';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkflowCanvas, graphToFlow, type CanvasNodeInput, type WorkflowGraph } from 'flowpulse/flow';
import { nodeRunState } from 'flowpulse';
import { createSnapshotMessage, emptySnapshot, type ServerMessage } from 'flowpulse/protocol';
import { STATUS_LABELS } from '../../src/flow/statusLabels';
import { msg, settle, testClient, withClient, WF } from './helpers';

type Dir = 'TB' | 'LR' | 'auto' | undefined;
interface Props { graph: WorkflowGraph; controlled: boolean; direction: Dir }

class Boundary extends Component<{ children: ReactNode; onError: (e: unknown) => void }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() { return { failed: true }; }
  override componentDidCatch(e: unknown) { this.props.onError(e); }
  override render() { return this.state.failed ? <p>crashed</p> : this.props.children; }
}

function Controlled({ graph, direction }: { graph: WorkflowGraph; direction: Dir }) {
  const text = JSON.stringify(graph);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const flow = useMemo(() => graphToFlow(graph), [text]);
  const [state, setState] = useState({ src: flow, nodes: flow.nodes as CanvasNodeInput[] });
  let nodes = state.nodes;
  if (state.src !== flow) { setState({ src: flow, nodes: flow.nodes }); nodes = flow.nodes; }
  return (
    <WorkflowCanvas
      nodes={nodes}
      edges={flow.edges}
      layout={{ direction }}
      onNodesChange={(c: NodeChange[]) => setState((s) => ({ ...s, nodes: applyNodeChanges(c, s.nodes as Node[]) }))}
    />
  );
}

function View({ graph, controlled, direction }: Props) {
  return (
    <div style={{ width: 800, height: 600 }}>
      {controlled ? <Controlled graph={graph} direction={direction} /> : <WorkflowCanvas graph={graph} layout={{ direction }} />}
    </div>
  );
}

const ID_POOL = ['a', 'b', 'c', 'd', '__proto__', 'a b', 'é', 'constructor', 'x"y', 'a->b'];
const idArb = fc.constantFrom(...ID_POOL);
const refArb = fc.oneof({ arbitrary: fc.nat(20).map((i) => `#${i}`), weight: 3 }, idArb);

const graphArb: fc.Arbitrary<WorkflowGraph> = fc
  .uniqueArray(idArb, { minLength: 1, maxLength: 5 })
  .chain((ids) =>
    fc.record({
      nodes: fc.constant(ids).chain((ids) =>
        fc.tuple(...ids.map((id) => fc.record({ id: fc.constant(id), label: fc.option(fc.constantFrom('Fetch', 'Parse', 'é x', ''), { nil: undefined }) }))),
      ),
      edges: fc.array(
        fc.record({
          source: fc.constantFrom(...ids),
          target: fc.constantFrom(...ids),
          id: fc.option(fc.constantFrom('e1', 'e2', 'e3', '__proto__', 'a b', 'a->b'), { nil: undefined }),
        }),
        { maxLength: 5 },
      ),
    }),
  )
  .map((g) => ({ nodes: g.nodes.map((n) => (n.label === undefined ? { id: n.id } : n)), edges: g.edges.map((e, i) => (e.id === undefined || g.edges.findIndex((o) => o.id === e.id) !== i ? { source: e.source, target: e.target } : e)) }));

const statusArb = fc.constantFrom('pending', 'running', 'completed', 'error') as fc.Arbitrary<'pending' | 'running' | 'completed' | 'error'>;

type Cmd =
  | { k: 'graph'; g: WorkflowGraph }
  | { k: 'same' }
  | { k: 'controlled' }
  | { k: 'dir'; d: Dir }
  | { k: 'start'; other: boolean }
  | { k: 'status'; id: string; s: 'pending' | 'running' | 'completed' | 'error'; long: boolean; progress?: number }
  | { k: 'flow'; s: string; t: string; e: string | null }
  | { k: 'progress'; step: number; total: number; id: string | null }
  | { k: 'log'; id: string }
  | { k: 'error'; id: string | null }
  | { k: 'complete'; ok: boolean }
  | { k: 'snapshot'; forget: boolean }
  | { k: 'enter'; id: string }
  | { k: 'escape'; id: string }
  | { k: 'click'; id: string }
  | { k: 'dblclick'; id: string }
  | { k: 'time'; ms: number }
  | { k: 'banner' }
  | { k: 'open'; id: string; ok: boolean; how: 'enter' | 'button' | 'dbl' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  graphArb.map((g) => ({ k: 'graph' as const, g })),
  fc.constant({ k: 'same' as const }),
  fc.constant({ k: 'controlled' as const }),
  fc.constantFrom<Dir>('TB', 'LR', 'auto', undefined).map((d) => ({ k: 'dir' as const, d })),
  { arbitrary: fc.boolean().map((other) => ({ k: 'start' as const, other })), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('status' as const), id: refArb, s: statusArb, long: fc.boolean(), progress: fc.option(fc.integer({ min: -20, max: 140 }), { nil: undefined }) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('flow' as const), s: refArb, t: refArb, e: fc.option(fc.constantFrom('e1', 'e2', 'a->b', 'zz', '__proto__'), { nil: null }) }), weight: 3 },
  fc.record({ k: fc.constant('progress' as const), step: fc.integer({ min: 0, max: 6 }), total: fc.integer({ min: 0, max: 5 }), id: fc.option(refArb, { nil: null }) }),
  fc.record({ k: fc.constant('log' as const), id: refArb }),
  fc.record({ k: fc.constant('error' as const), id: fc.option(refArb, { nil: null }) }),
  fc.boolean().map((ok) => ({ k: 'complete' as const, ok })),
  fc.boolean().map((forget) => ({ k: 'snapshot' as const, forget })),
  { arbitrary: refArb.map((id) => ({ k: 'enter' as const, id })), weight: 2 },
  { arbitrary: refArb.map((id) => ({ k: 'escape' as const, id })), weight: 5 },
  refArb.map((id) => ({ k: 'click' as const, id })),
  refArb.map((id) => ({ k: 'dblclick' as const, id })),
  { arbitrary: fc.record({ k: fc.constant('open' as const), id: refArb, ok: fc.boolean(), how: fc.constantFrom('enter', 'button', 'dbl') as fc.Arbitrary<'enter' | 'button' | 'dbl'> }), weight: 3 },
  fc.integer({ min: 100, max: 4000 }).map((ms) => ({ k: 'time' as const, ms })),
  { arbitrary: fc.constant({ k: 'banner' as const }), weight: 2 },
);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const byData = (root: ParentNode, sel: string, id: string) =>
  Array.from(root.querySelectorAll<HTMLElement>(sel)).filter((el) => el.dataset.id === id);

let restoreTimers = () => {};
const stats: Record<string, number> = {};
const bump = (k: string) => { stats[k] = (stats[k] ?? 0) + 1; };
async function runScenario(initial: WorkflowGraph, cmds: Cmd[], log: string[]) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
  vi.setSystemTime(new Date(Date.UTC(2025, 10, 13, 1, 30, 0)));
  const live = new Map<unknown, string>();
  const saved: Record<string, any> = {};
  for (const [set, clear] of [['setTimeout', 'clearTimeout'], ['requestAnimationFrame', 'cancelAnimationFrame'], ['setInterval', 'clearInterval']] as const) {
    const s = (globalThis as any)[set]; const c = (globalThis as any)[clear];
    saved[set] = s; saved[clear] = c;
    (globalThis as any)[set] = (fn: any, ...rest: any[]) => { let id: any; id = s((...a: any[]) => { live.delete(id); fn(...a); }, ...rest); live.set(id, set + ' ' + new Error().stack!.split('\n').slice(2, 12).join('\n')); return id; };
    (globalThis as any)[clear] = (id: any) => { live.delete(id); c(id); };
  }
  restoreTimers = () => Object.assign(globalThis, saved);
  const errors: unknown[] = [];
  const consoleError = vi.spyOn(console, 'error');
  const consoleWarn = vi.spyOn(console, 'warn');
  const client = testClient();
  let props: Props = { graph: initial, controlled: false, direction: undefined };
  let ms = 0;
  let execCounter = 1;
  const ui = () => withClient(client, <Boundary onError={(e) => errors.push(e)}><View {...props} /></Boundary>);
  const view = render(ui());
  await settle();
  await settle();
  const send = (m: ServerMessage) => act(() => client.store.enqueue(m));
  let openDialogFor: string | null = null;
  let expectSelected: string | null | undefined;

  const check = (step: string) => {
    bump('checks');
    const where = `${step}\n${log.join('\n')}`;
    expect(errors, where).toEqual([]);
    expect(consoleError.mock.calls, where).toEqual([]);
    expect(consoleWarn.mock.calls, where).toEqual([]);
    const s = client.store.getState();
    const { edges } = graphToFlow(props.graph);
    for (const n of props.graph.nodes) {
      const wrappers = byData(view.container, '.react-flow__node', n.id);
      expect(wrappers.length, `${where}\nnode ${n.id} rendered once`).toBe(1);
      const el = wrappers[0]!.querySelector('.fp-node') as HTMLElement;
      const run = nodeRunState(s, n.id);
      const shown = s.stale && run.status === 'running' ? 'unknown' : run.status;
      expect(el.dataset.status, `${where}\nstatus of ${n.id}`).toBe(shown);
      expect(el.classList.contains(`fp-node--${shown}`), `${where}\nclass of ${n.id}: ${el.className}`).toBe(true);
      expect(el.querySelector('.fp-badge__text')?.textContent, where).toBe(STATUS_LABELS[shown]);
      expect(el.querySelector('.fp-badge__icon'), where).not.toBeNull();
      expect(el.querySelector('.fp-node__label')?.textContent, where).toBe(n.label ?? n.id);
      // 'auto': jsdom's pane is 100x100 (not wider than tall), so top to bottom.
      const dir = props.direction === 'auto' ? 'TB' : (props.direction ?? 'TB');
      const srcPos = wrappers[0]!.querySelector('.react-flow__handle.source')?.getAttribute('data-handlepos');
      expect(srcPos, `${where}\nhandle of ${n.id}`).toBe(dir === 'LR' ? 'right' : 'bottom');
    }
    expect(view.container.querySelectorAll('.react-flow__node').length, where).toBe(props.graph.nodes.length);
    const canvasIds = new Set(edges.map((e) => e.id));
    const now = Date.now();
    for (const e of edges) {
      const els = byData(view.container, '.react-flow__edge', e.id);
      expect(els.length, `${where}\nedge ${e.id} rendered`).toBeGreaterThanOrEqual(1);
      const path = els[0]!.querySelector('path.fp-edge') as Element;
      const flowing = path.classList.contains('fp-edge--flowing');
      const live = s.edgeFlows.filter((f) => f.expiresAt > now);
      const should = live.some(
        (f) => f.edgeId === e.id || (f.sourceNodeId === e.source && f.targetNodeId === e.target && (f.edgeId === null || !canvasIds.has(f.edgeId))),
      );
      expect(flowing, `${where}\nedge ${e.id} flowing`).toBe(should);
      bump(flowing ? 'edgeFlowing' : 'edgeIdle');
    }
    if (expectSelected !== undefined) {
      const sel = Array.from(view.container.querySelectorAll<HTMLElement>('.react-flow__node.selected')).map((e) => e.dataset.id);
      expect(sel, `${where}\nselection`).toEqual(inGraph(expectSelected ?? '') ? [expectSelected] : sel);
      if (inGraph(expectSelected ?? '')) expect(wrapperOf(expectSelected!)!.querySelector('.fp-node')!.classList.contains('fp-node--selected'), where).toBe(true);
    }
    const bar = view.container.querySelector('[role="progressbar"]')!;
    const now_ = Number(bar.getAttribute('aria-valuenow'));
    expect(Number.isFinite(now_) && now_ >= 0 && now_ <= 100, `${where}\naria-valuenow ${now_}`).toBe(true);
    expect(now_, where).toBe(Math.round(Math.min(100, Math.max(0, s.progress))));
  };

  const inGraph = (id: string) => props.graph.nodes.some((n) => n.id === id);
  const wrapperOf = (id: string) => byData(view.container, '.react-flow__node', id)[0];

  check('initial');
  const pick = (r: string) => {
    if (!r.startsWith('#')) return r;
    const i = Number(r.slice(1));
    return i % 7 === 6 ? ID_POOL[i % ID_POOL.length]! : props.graph.nodes[i % props.graph.nodes.length]!.id;
  };
  const resolve = (c: Cmd): Cmd => {
    const o: any = { ...c };
    for (const key of ['id', 's', 't']) if (typeof o[key] === 'string' && c.k !== 'status' || (key === 'id' && typeof o[key] === 'string')) o[key] = pick(o[key]);
    return o;
  };
  for (let c of cmds) {
    c = resolve(c);
    if (!['click', 'dblclick', 'same', 'status', 'flow', 'progress', 'log', 'error', 'complete', 'time', 'snapshot', 'start'].includes(c.k)) expectSelected = undefined;
    log.push(JSON.stringify(c)); bump(c.k);
    ms += 10;
    const exec = `exec-${execCounter}`;
    const ids = { workflow_id: WF, execution_id: exec };
    const fix = (m: ServerMessage): ServerMessage => ({ ...m, data: { ...(m.data as object), ...ids } } as ServerMessage);
    switch (c.k) {
      case 'graph': props = { ...props, graph: c.g }; view.rerender(ui()); break;
      case 'same': props = { ...props, graph: JSON.parse(JSON.stringify(props.graph)) }; view.rerender(ui()); break;
      case 'controlled': props = { ...props, controlled: !props.controlled }; view.rerender(ui()); break;
      case 'dir': props = { ...props, direction: c.d }; view.rerender(ui()); break;
      case 'start': {
        execCounter++;
        const order = c.other ? ['zz', 'yy'] : props.graph.nodes.map((n) => n.id);
        send({ ...msg.start(order, ms), data: { ...msg.start(order, ms).data, execution_id: `exec-${execCounter}` } } as ServerMessage);
        break;
      }
      case 'status':
        send(fix(msg.status(c.id, c.s, ms, {
          ...(c.s === 'error' ? { error: c.long ? 'E'.repeat(5000) + ' é\n\u0000' : 'boom' } : {}),
          ...(c.s === 'completed' ? { result: { v: c.long ? 'x'.repeat(3000) : 1 } } : {}),
          ...(c.progress !== undefined ? { progress: c.progress } : {}),
        })));
        break;
      case 'flow': send(fix(msg.flow(c.s, c.t, c.e, ms))); break;
      case 'progress': send(fix(msg.progress(c.step, c.total, c.id, ms))); break;
      case 'log': send(fix(msg.log('hello', 'info', c.id, ms))); break;
      case 'error': send(fix(msg.error('bad thing', c.id, ms))); break;
      case 'complete': send(fix(msg.complete(c.ok))); break;
      case 'snapshot':
        if (c.forget) send(createSnapshotMessage({ snapshot: emptySnapshot(WF) }));
        else {
          const snap = { ...emptySnapshot(WF), execution_id: exec, execution_order: props.graph.nodes.map((n) => n.id), progress: 50 } as any;
          send(createSnapshotMessage({ snapshot: snap }));
        }
        break;
      case 'enter':
      case 'escape': {
        if (!inGraph(c.id)) continue;
        const w = wrapperOf(c.id)!;
        act(() => w.focus());
        const before = document.querySelector('[role="dialog"]');
        const finished = ['completed', 'error'].includes(nodeRunState(client.store.getState(), c.id).status);
        if (c.k === 'enter') {
          act(() => { fireEvent.keyDown(w, { key: 'Enter' }); });
          if (finished && !before) {
            expect(document.querySelector('[role="dialog"]'), `dialog opens\n${log.join('\n')}`).not.toBeNull();
            openDialogFor = c.id; bump('dialogOpen');
          }
        } else {
          const dlg = document.querySelector('[role="dialog"]');
          if (dlg) {
            act(() => { fireEvent.keyDown(dlg, { key: 'Escape' }); });
            expect(document.querySelector('[role="dialog"]'), `dialog closes\n${log.join('\n')}`).toBeNull();
            if (openDialogFor !== null && inGraph(openDialogFor))
              expect((document.activeElement as HTMLElement)?.closest<HTMLElement>('.react-flow__node')?.dataset?.id, `focus returns\n${log.join('\n')}`).toBe(openDialogFor);
            openDialogFor = null; bump('dialogEscape');
          } else act(() => { fireEvent.keyDown(w, { key: 'Escape' }); });
        }
        break;
      }
      case 'click':
      case 'dblclick': {
        if (!inGraph(c.id) || document.querySelector('[role="dialog"]')) continue;
        const w = wrapperOf(c.id)!;
        act(() => { fireEvent.click(w.querySelector('.fp-node')!); });
        expectSelected = c.id;
        if (c.k === 'dblclick') {
          const finished = ['completed', 'error'].includes(nodeRunState(client.store.getState(), c.id).status);
          act(() => { w.focus(); fireEvent.doubleClick(w.querySelector('.fp-node')!); });
          if (finished) {
            const dlg = document.querySelector('[role="dialog"]');
            expect(dlg, `dblclick opens\n${log.join('\n')}`).not.toBeNull();
            act(() => { fireEvent.click(dlg!.querySelector('.fp-dialog__close')!); });
            expect(document.querySelector('[role="dialog"]'), log.join('\n')).toBeNull();
            expect((document.activeElement as HTMLElement)?.closest<HTMLElement>('.react-flow__node')?.dataset?.id, `focus returns after Close\n${log.join('\n')}`).toBe(c.id);
          }
        }
        break;
      }
      case 'open': {
        if (!inGraph(c.id) || document.querySelector('[role="dialog"]')) continue;
        send(fix(msg.status(c.id, c.ok ? 'completed' : 'error', ms, c.ok ? { result: { rows: [1, 2] } } : { error: 'x'.repeat(2000) })));
        await settle();
        const w = wrapperOf(c.id)!;
        if (c.how === 'enter') { act(() => w.focus()); act(() => { fireEvent.keyDown(w, { key: 'Enter' }); }); }
        else if (c.how === 'button') { const b = w.querySelector<HTMLElement>('.fp-node__details')!; act(() => b.focus()); act(() => { fireEvent.click(b); }); }
        else act(() => { w.focus(); fireEvent.doubleClick(w.querySelector('.fp-node')!); });
        const dlg = document.querySelector('[role="dialog"]');
        expect(dlg, `open via ${c.how}\n${log.join('\n')}`).not.toBeNull();
        expect(dlg!.contains(document.activeElement), `focus moves into the dialog\n${log.join('\n')}`).toBe(true);
        openDialogFor = c.id; bump('dialogOpen');
        break;
      }
      case 'banner': {
        if (document.querySelector('[role="dialog"]')) continue;
        const buttons = Array.from(view.container.querySelectorAll<HTMLElement>('.fp-errors__button'));
        const s0 = client.store.getState();
        const listed = s0.errors.filter((e) => e.nodeId !== null);
        if (!buttons.length) continue;
        const target = listed[listed.length - 1]?.nodeId;
        act(() => { fireEvent.click(buttons[buttons.length - 1]!); });
        await settle();
        if (target && inGraph(target)) {
          expect((document.activeElement as HTMLElement)?.dataset?.id, `banner focuses node\n${log.join('\n')}`).toBe(target);
          expectSelected = target;
          bump('bannerFocus');
        }
        break;
      }
      case 'time': await act(async () => { vi.advanceTimersByTime(c.ms); }); break;
    }
    if (!document.querySelector('[role="dialog"]')) openDialogFor = null;
    await settle();
    await settle();
    check(`after ${JSON.stringify(c)}`);
  }
  view.unmount();
  await act(async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); });
  client.store.destroy();
  const leftAtUnmount = vi.getTimerCount();
  await act(async () => { vi.advanceTimersByTime(10_000); });
  // d3-timer (React Flow's zoom transitions) runs on the real performance clock in jsdom: not ours, and it ends by itself.
  const left = [...live.values()].filter((v) => !v.includes('d3-timer'));
  expect(left, `timers after unmount (${leftAtUnmount} at unmount)\n${log.join('\n')}`).toEqual([]);
  expect(errors).toEqual([]);
  expect(consoleError.mock.calls).toEqual([]);
  consoleError.mockRestore();
  consoleWarn.mockRestore();
  vi.useRealTimers();
}

describe('canvas model', () => {
  it('holds its invariants over random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(graphArb, fc.array(cmdArb, { minLength: 1, maxLength: 14 }), async (g, cmds) => {
        const log: string[] = [`initial ${JSON.stringify(g)}`];
        try {
          await runScenario(g, cmds, log);
        } finally {
          cleanup();
          restoreTimers();
          document.body.innerHTML = '';
          vi.useRealTimers();
          vi.restoreAllMocks();
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 25), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
    );
  }, 600_000);
});

describe('canvas model: fixed', () => {
  it('single node, no commands, repeated', async () => {
    for (let i = 0; i < 3; i++) {
      const log: string[] = [`run ${i}`];
      try { await runScenario({ nodes: [{ id: 'a' }], edges: [] }, [], log); } finally { cleanup(); restoreTimers(); document.body.innerHTML = ''; vi.useRealTimers(); vi.restoreAllMocks(); }
    }
  });
});
