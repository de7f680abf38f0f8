import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { Node } from '@xyflow/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWorkflowClient, INITIAL_CONNECTION, type ConnectionState } from 'flowpulse';
import { ProgressBar, WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { msg, renderFlow, settle, testClient, withClient, WF } from './helpers';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'fetch', label: 'Fetch orders' },
    { id: 'parse', label: 'Parse' },
    { id: 'store', label: 'Store' },
  ],
  edges: [
    { source: 'fetch', target: 'parse' },
    { source: 'parse', target: 'store' },
  ],
};

const OPEN: ConnectionState = { ...INITIAL_CONNECTION, status: 'open', why: null };
const fatal = (closeCode: number): ConnectionState => ({ ...INITIAL_CONNECTION, status: 'closed', why: 'fatal', closeCode });

async function canvas(props: Partial<Parameters<typeof WorkflowCanvas>[0]> = {}) {
  const client = testClient();
  const view = render(
    withClient(
      client,
      <div style={{ height: 700 }}>
        <WorkflowCanvas graph={graph} {...props} />
      </div>,
    ),
  );
  await settle();
  const node = (id: string) => view.container.querySelector(`.react-flow__node[data-id="${id}"] .fp-node`) as HTMLElement;
  return { client, view, node };
}

afterEach(() => vi.useRealTimers());

describe('a stale run on the canvas', () => {
  it('says the server forgot the run, shows running nodes as Unknown without pulsing, keeps the rest', async () => {
    const { client, view, node } = await canvas({ showToolbar: true });
    act(() => {
      client.store.enqueue(msg.start(['fetch', 'parse', 'store']));
      client.store.enqueue(msg.status('fetch', 'completed', 900, { result: 1 }));
      client.store.enqueue(msg.progress(2, 3, 'parse'));
      client.store.enqueue(msg.status('parse', 'running', 1000));
    });
    expect(node('parse').className).toContain('fp-node--running');
    expect(view.container.querySelector('[data-notice="stale"]')).toBeNull();

    act(() => client.store.enqueue(msg.forgotten()));
    const notice = view.container.querySelector('[data-notice="stale"]') as HTMLElement;
    expect(notice.textContent).toContain('The server no longer knows this run — showing the last known state');
    expect(notice.closest('[aria-live="polite"]')).not.toBeNull();

    const parse = node('parse');
    expect(parse.className).toContain('fp-node--unknown');
    // The pulse is bound to fp-node--running, and the "current" ring would claim it is still working.
    expect(parse.className).not.toContain('fp-node--running');
    expect(parse.className).not.toContain('fp-node--current');
    expect(within(parse).getByText('Unknown')).toBeTruthy();
    expect(node('fetch').className).toContain('fp-node--completed');
    expect(node('store').className).toContain('fp-node--pending');
    expect(screen.getByText(/the server no longer knows this run$/)).toBeTruthy();

    // Only a new run makes sense.
    const toolbar = screen.getByRole('toolbar', { name: 'Run controls' });
    const enabled = within(toolbar)
      .getAllByRole('button')
      .filter((b) => b.getAttribute('aria-disabled') !== 'true')
      .map((b) => b.textContent);
    expect(enabled).toEqual(['Run']);

    // A new execution is live again: the notice goes.
    act(() => client.store.enqueue({ ...msg.start(['fetch']), data: { ...msg.start(['fetch']).data, execution_id: 'exec-2' } }));
    expect(view.container.querySelector('[data-notice="stale"]')).toBeNull();
  });
});

describe('the stalled watchdog on a node', () => {
  const nodes: Node[] = [
    { id: 'fetch', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Fetch' } },
    { id: 'parse', type: 'status', position: { x: 0, y: 120 }, data: { label: 'Parse' } },
  ];

  it('shows "Stalled" after the silence, distinct from error and unknown, and recovers on news', async () => {
    vi.useFakeTimers();
    const { client, node } = await renderFlow(nodes, {
      client: createWorkflowClient({ workflowId: WF, batch: 'sync', stalledAfterMs: 1000 }),
    });
    act(() => {
      client.store.setConnection(OPEN);
      client.store.enqueue(msg.start(['fetch', 'parse']));
      client.store.enqueue(msg.status('fetch', 'running'));
    });
    expect(node('fetch').className).not.toContain('fp-node--stalled');

    act(() => vi.advanceTimersByTime(1000));
    expect(client.store.getState().stalledNodeIds).toEqual(['fetch']);
    const fetch = node('fetch');
    expect(fetch.className).toContain('fp-node--stalled');
    expect(fetch.className).toContain('fp-node--running');
    expect(fetch.className).not.toContain('fp-node--error');
    expect(fetch.dataset.status).toBe('running');
    const chip = within(fetch).getByText('Stalled');
    expect(chip.className).toBe('fp-node__stalled');
    expect(within(fetch).getByText('Running')).toBeTruthy();
    expect(node('parse').className).not.toContain('fp-node--stalled');

    // A log line from the node is news: it leaves the list, and the chip goes.
    act(() => client.store.enqueue(msg.log('still here', 'info', 'fetch')));
    expect(client.store.getState().stalledNodeIds).toEqual([]);
    expect(node('fetch').className).not.toContain('fp-node--stalled');
    expect(within(node('fetch')).queryByText('Stalled')).toBeNull();

    // Silence while disconnected is shown as the connection's problem, not the node's.
    act(() => client.store.setConnection({ ...INITIAL_CONNECTION, status: 'reconnecting', attempt: 1, why: 'heartbeat-timeout' }));
    act(() => vi.advanceTimersByTime(5000));
    expect(within(node('fetch')).queryByText('Stalled')).toBeNull();
    client.destroy();
  });
});

describe('sign-in refusals on the canvas', () => {
  it.each([
    [4401, 'Not signed in', 'unauthenticated'],
    [4403, 'Not allowed to watch this workflow', 'forbidden'],
    [1008, 'Not allowed to watch this workflow', 'forbidden'],
  ])('close code %i shows "%s" as an alert, with no spinner and one "Try again"', async (code, words, health) => {
    const { client, view } = await canvas();
    const reconnect = vi.spyOn(client, 'reconnect').mockImplementation(() => {});
    act(() => client.store.setConnection(fatal(code)));
    expect(screen.getByRole('alert').textContent).toContain(words);
    const indicator = view.container.querySelector('.fp-connection') as HTMLElement;
    expect(indicator.dataset.health).toBe(health);
    // Shown in the indicator too, but announced once: by the alert, not also by the status region.
    expect(indicator.querySelector('.fp-connection__text')?.textContent).toBe(`${words} (${code})`);
    expect(screen.getByRole('status').textContent).toBe('');
    expect(view.container.querySelector('.fp-connection__icon--spin')).toBeNull();
    const retry = screen.getAllByRole('button', { name: 'Try again' });
    expect(retry).toHaveLength(1);
    fireEvent.click(retry[0]!);
    expect(reconnect).toHaveBeenCalledOnce();
  });

  it('gives the notice its own "Try again" when the indicator is hidden; nothing for other refusals', async () => {
    const { client } = await canvas({ showConnection: false });
    act(() => client.store.setConnection(fatal(4404)));
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => client.store.setConnection(fatal(4401)));
    expect(within(screen.getByRole('alert')).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('leaves the notices out with showNotices={false}', async () => {
    const { client, view } = await canvas({ showNotices: false });
    act(() => {
      client.store.setConnection(fatal(4401));
      client.store.enqueue(msg.start(['fetch']));
      client.store.enqueue(msg.forgotten());
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(view.container.querySelector('.fp-notice-region')).toBeNull();
  });
});

describe('the run toolbar on the canvas', () => {
  it('is off by default and shown with showToolbar, using the canvas control options', async () => {
    const first = await canvas();
    expect(screen.queryByRole('toolbar')).toBeNull();
    first.view.unmount();

    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('{"execution_id":"e2"}', { status: 202 }));
    await canvas({ showToolbar: true, control: { fetch }, runInputs: { n: 1 } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run' })));
    expect(String(fetch.mock.calls[0]?.[0])).toBe('http://localhost:8000/api/workflows/123/execute');
    expect(JSON.parse(fetch.mock.calls[0]?.[1]?.body as string)).toEqual({ initial_inputs: { n: 1 } });
  });
});

describe('run status in the progress text', () => {
  it('says paused with the percentage, and cancelled with the reason', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c', 'd', 'e']));
      client.store.enqueue(msg.progress(2, 5, 'b'));
      client.store.enqueue(msg.runState('paused'));
    });
    expect(screen.getByText('Paused · 40% · step 2 of 5')).toBeTruthy();
    act(() => client.store.enqueue(msg.runState('running')));
    expect(screen.getByText('40% · step 2 of 5 · b')).toBeTruthy();
    act(() => client.store.enqueue(msg.runState('cancelled', 'cancelled by user')));
    expect(screen.getByText('Cancelled after 2 of 5 steps: cancelled by user')).toBeTruthy();
  });

  it('says only why, for a run cancelled before its first step', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b']));
      client.store.enqueue(msg.runState('cancelled', 'cancelled by user'));
    });
    expect(screen.getByText('Cancelled: cancelled by user')).toBeTruthy();
  });
});
