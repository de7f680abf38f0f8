import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionIndicator, ErrorBanner, LogPanel, ProgressBar, connectionText, formatDuration } from 'flowpulse/flow';
import { INITIAL_CONNECTION, createWorkflowClient, type ConnectionState } from 'flowpulse';
import { createSnapshotMessage, emptySnapshot } from 'flowpulse/protocol';
import { msg, testClient, withClient, WF } from './helpers';

describe('formatDuration', () => {
  it('rounds first, then picks the unit, so no value shows as the next unit’s boundary', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(999.4)).toBe('999 ms');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(9949)).toBe('9.9 s');
    expect(formatDuration(9960)).toBe('10 s');
    expect(formatDuration(10_000)).toBe('10 s');
    expect(formatDuration(59_400)).toBe('59 s');
    expect(formatDuration(59_600)).toBe('1 min 0 s');
    expect(formatDuration(60_000)).toBe('1 min 0 s');
    expect(formatDuration(119_600)).toBe('2 min 0 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});

describe('ProgressBar', () => {
  it('is a labelled progressbar with value text; its status line is not live', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar nodeLabel={(id) => id.toUpperCase()} />));
    const bar = screen.getByRole('progressbar', { name: 'Workflow progress' });
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText('Waiting for a run').closest('[aria-live]')).toBeNull();

    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c', 'd', 'e']));
      client.store.enqueue(msg.progress(2, 5, 'b'));
    });
    expect(bar.getAttribute('aria-valuenow')).toBe('40');
    expect(bar.getAttribute('aria-valuetext')).toBe('40 percent, step 2 of 5, running B');
    expect(screen.getByText('40% · step 2 of 5 · B')).toBeTruthy();
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('40%');

    act(() => client.store.enqueue(msg.complete(true, 5.23)));
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('Completed in 5.2 s')).toBeTruthy();
  });

  it('a run that failed before its first step just says Failed; the node running is named, not one that finished', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c']));
      client.store.enqueue(msg.status('a', 'running'));
      client.store.enqueue(msg.status('a', 'completed', 5));
      client.store.enqueue(msg.status('b', 'running', 6));
      client.store.enqueue(msg.progress(1, 3, 'a')); // ours names the node that just finished
    });
    expect(screen.getByText('33% · step 1 of 3 · b')).toBeTruthy();
    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c']));
      client.store.enqueue(msg.status('a', 'error', 5, { error: 'boom' }));
      client.store.enqueue(msg.complete(false));
    });
    expect(screen.getByText('Failed')).toBeTruthy();
  });

  it('says where a failed run stopped; the bar is full, as the spec sets 100 when a run ends', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b']));
      client.store.enqueue(msg.progress(1, 2, 'a'));
      client.store.enqueue(msg.complete(false));
    });
    expect(screen.getByText('Failed after 1 of 2 steps')).toBeTruthy();
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('100 percent, Failed after 1 of 2 steps');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('100%');
  });

  it('says where a cancelled run stopped, and why', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c', 'd', 'e']));
      client.store.enqueue(msg.progress(2, 5, 'b'));
      client.store.enqueue(msg.runState('cancelled', 'cancelled by user'));
    });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    expect(screen.getByText(/Cancelled after 2 of 5 steps: cancelled by user/)).toBeTruthy();
  });

  it('announces milestones only, in a separate polite region: started, paused, resumed and how it ended', () => {
    const client = testClient();
    const { container } = render(withClient(client, <ProgressBar />));
    const live = () => container.querySelectorAll('[aria-live]');
    expect(live()).toHaveLength(1);
    const region = live()[0] as HTMLElement;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.className).toBe('fp-visually-hidden');
    expect(region.textContent).toBe('');

    act(() => client.store.enqueue(msg.start(['a', 'b', 'c', 'd'])));
    expect(region.textContent).toBe('Run started');
    // Steps move the visible line, not the announcement.
    act(() => client.store.enqueue(msg.progress(1, 4, 'a')));
    act(() => client.store.enqueue(msg.progress(2, 4, 'b')));
    expect(screen.getByText('50% · step 2 of 4 · b')).toBeTruthy();
    expect(region.textContent).toBe('Run started');

    act(() => client.store.enqueue(msg.runState('paused')));
    expect(region.textContent).toBe('Run paused at step 2 of 4');
    act(() => client.store.enqueue(msg.runState('running')));
    expect(region.textContent).toBe('Run resumed');
    act(() => client.store.enqueue(msg.complete(true, 5.23)));
    expect(region.textContent).toBe('Run completed in 5.2 s');

    const next = msg.start(['a']);
    act(() => client.store.enqueue({ ...next, data: { ...next.data, execution_id: 'exec-2' } }));
    expect(region.textContent).toBe('Run started');
    expect(live()).toHaveLength(1);
  });
});

describe('ConnectionIndicator', () => {
  const state = (s: Partial<ConnectionState>): ConnectionState => ({ ...INITIAL_CONNECTION, ...s });

  it('words every state, with the attempt while reconnecting and the reason when closed', () => {
    expect(connectionText(state({ status: 'open', why: null }))).toBe('Connected');
    expect(connectionText(state({ status: 'connecting', why: null }))).toBe('Connecting…');
    expect(connectionText(state({ status: 'reconnecting', attempt: 3, why: 'server', closeCode: 1006 }))).toBe(
      'Reconnecting (attempt 3)… — closed by the server',
    );
    expect(connectionText(state({ status: 'closed', why: 'fatal', closeCode: 4404, closeReason: 'workflow not found' }))).toBe(
      'Connection refused by the server (4404 workflow not found)',
    );
    expect(connectionText(state({ status: 'closed', why: 'max-attempts' }))).toBe('Disconnected: gave up reconnecting');
  });

  it('follows the store, in a status region, and offers to reconnect once the socket is down', () => {
    const client = testClient();
    const reconnect = vi.spyOn(client, 'reconnect').mockImplementation(() => {});
    render(withClient(client, <ConnectionIndicator />));
    expect(screen.getByRole('status').textContent).toBe('Disconnected: not started');
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();

    act(() => client.store.setConnection(state({ status: 'open', why: null })));
    expect(screen.getByRole('status').textContent).toBe('Connected');

    act(() => client.store.setConnection(state({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' })));
    // The attempt is shown beside the status region, not in it.
    expect(screen.getByRole('status').textContent).toBe('Stalled: the server stopped answering — reconnecting…');
    expect(document.querySelector('.fp-connection')?.textContent).toContain('(attempt 2)');

    act(() => client.store.setConnection(state({ status: 'closed', why: 'server', closeCode: 1011, closeReason: 'boom' })));
    expect(screen.getByRole('status').textContent).toBe('Disconnected: closed by the server (1011 boom)');
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(reconnect).toHaveBeenCalledOnce();
  });
});

describe('LogPanel', () => {
  // The list shows new lines at most every 100 ms; these tests step past that after each batch.
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  function setup(onNodeSelect?: (id: string) => void) {
    const client = testClient();
    const view = render(withClient(client, <LogPanel onNodeSelect={onNodeSelect} nodeLabel={(id) => `Node ${id}`} />));
    const list = screen.getByRole('log');
    // jsdom does no layout: give the list a scrolling box.
    let scrollHeight = 1000;
    Object.defineProperty(list, 'clientHeight', { configurable: true, get: () => 100 });
    Object.defineProperty(list, 'scrollHeight', { configurable: true, get: () => scrollHeight });
    const grow = (h: number) => {
      scrollHeight = h;
    };
    const send = (...m: Parameters<typeof client.store.enqueue>[0][]) => {
      act(() => m.forEach((x) => client.store.enqueue(x)));
      act(() => vi.advanceTimersByTime(100));
    };
    return { client, view, list, grow, send };
  }

  it('shows a flood of lines ten times a second, not on every batch: the first at once, the rest within 100 ms', () => {
    const client = testClient();
    render(withClient(client, <LogPanel />));
    const list = screen.getByRole('log');
    const lines = () => [...list.querySelectorAll('.fp-log__message')].map((m) => m.textContent);
    act(() => vi.advanceTimersByTime(1000)); // a quiet spell
    act(() => [msg.start(['a']), msg.log('one')].forEach((m) => client.store.enqueue(m)));
    expect(lines()).toEqual(['one']);
    act(() => client.store.enqueue(msg.log('two')));
    act(() => client.store.enqueue(msg.log('three')));
    act(() => vi.advanceTimersByTime(50));
    expect(lines()).toEqual(['one']);
    act(() => vi.advanceTimersByTime(50));
    expect(lines()).toEqual(['one', 'two', 'three']);
  });

  it('shows lines with time, level and message, and filters by minimum level', () => {
    const { send, list } = setup();
    send(msg.start(['a']), msg.log('starting', 'info'), msg.log('slow response', 'warning'), msg.log('failed', 'error'));
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    // The items belong to a list inside the log region (a list with role="log" would orphan them).
    expect(within(within(list).getByRole('list')).getAllByRole('listitem')).toHaveLength(3);
    expect(within(list).getByText('WARN')).toBeTruthy();
    expect(screen.getByText('3 lines')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'warning' } });
    expect(within(list).queryByText('starting')).toBeNull();
    expect(within(list).getByText('slow response')).toBeTruthy();
    expect(screen.getByText('2 of 3 lines')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'error' } });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    expect(within(list).getByText('failed')).toBeTruthy();
  });

  it('follows new lines, stops while the reader scrolls up, and resumes at the bottom', () => {
    const { send, list, grow } = setup();
    send(msg.start(['a']), msg.log('one'));
    expect(list.scrollTop).toBe(1000);

    list.scrollTop = 200;
    fireEvent.scroll(list);
    grow(1200);
    send(msg.log('two'));
    expect(list.scrollTop).toBe(200);
    const jump = screen.getByRole('button', { name: 'Jump to latest' });
    // Reached by Tab before the lines, not after all of them.
    expect(jump.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    list.scrollTop = 1100; // back at the bottom (1100 + 100 >= 1200)
    fireEvent.scroll(list);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
    grow(1400);
    send(msg.log('three'));
    expect(list.scrollTop).toBe(1400);

    list.scrollTop = 0;
    fireEvent.scroll(list);
    fireEvent.click(screen.getByRole('button', { name: 'Jump to latest' }));
    expect(list.scrollTop).toBe(1400);
    expect(jump.isConnected).toBe(false);
  });

  it('keeps its node links out of the Tab order: a thousand lines are not a thousand Tab stops', () => {
    const { send, list } = setup(() => {});
    send(msg.start(['a']), ...Array.from({ length: 20 }, (_, i) => msg.log(`line ${i}`, 'info', 'a')));
    const links = within(list).getAllByRole('button', { name: 'Node a' });
    expect(links).toHaveLength(20);
    expect(links.every((b) => b.tabIndex === -1)).toBe(true);
    expect(list.tabIndex).toBe(0); // the log itself is one stop, to scroll and read
  });

  it('is a silent log by default, and polite with `live`', () => {
    const { list, view, client } = setup();
    expect(list.getAttribute('aria-live')).toBe('off');
    view.rerender(withClient(client, <LogPanel live />));
    expect(screen.getByRole('log').getAttribute('aria-live')).toBe('polite');
  });

  it('hands focus to the list when "Jump to latest" is pressed', () => {
    const { send, list } = setup();
    send(msg.start(['a']), msg.log('one'));
    list.scrollTop = 0;
    fireEvent.scroll(list);
    const jump = screen.getByRole('button', { name: 'Jump to latest' });
    act(() => jump.focus());
    fireEvent.click(jump);
    expect(jump.isConnected).toBe(false);
    expect(document.activeElement).toBe(list);
  });

  it('follows again when the lines shrink to fit, with no scroll event, and when a new run starts', () => {
    const { send, list, grow } = setup();
    send(msg.start(['a']), msg.log('one'), msg.log('two', 'warning'));
    list.scrollTop = 0;
    fireEvent.scroll(list);
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();

    // A filter leaves one line: it fits, and nothing scrolls to say so.
    grow(60);
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'warning' } });
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'info' } });

    grow(1000);
    send(msg.log('three'));
    list.scrollTop = 0;
    fireEvent.scroll(list);
    const jump = screen.getByRole('button', { name: 'Jump to latest' });
    act(() => jump.focus());
    // A new run, still taller than the box: followed from its start, and focus is not dropped.
    const next = msg.start(['a']);
    send(
      { ...next, data: { ...next.data, execution_id: 'exec-2' } },
      { ...msg.log('fresh'), data: { ...msg.log('fresh').data, execution_id: 'exec-2' } },
    );
    expect(jump.isConnected).toBe(false);
    expect(list.scrollTop).toBe(1000);
    expect(document.activeElement).toBe(list);
    grow(1200);
    send({ ...msg.log('more'), data: { ...msg.log('more').data, execution_id: 'exec-2' } });
    expect(list.scrollTop).toBe(1200);
  });

  it('counts lines dropped from the bounded buffer', () => {
    const client = createWorkflowClient({ workflowId: '123', batch: 'sync', maxLogs: 3 });
    render(withClient(client, <LogPanel />));
    act(() => {
      client.store.enqueue(msg.start(['a']));
      for (let i = 0; i < 5; i++) client.store.enqueue(msg.log(`line ${i}`));
    });
    expect(screen.getByText('3 lines, 2 earlier dropped')).toBeTruthy();
    expect(screen.queryByText('line 0')).toBeNull();
    expect(screen.getByText('line 4')).toBeTruthy();
  });

  it('makes a line tied to a node a button that selects the node', () => {
    const select = vi.fn();
    const { send } = setup(select);
    send(msg.start(['a']), msg.log('fetched 3 rows', 'info', 'fetch'));
    fireEvent.click(screen.getByRole('button', { name: 'Node fetch' }));
    expect(select).toHaveBeenCalledWith('fetch');
  });
});

describe('ErrorBanner', () => {
  it('a cancelled run is headed as cancelled, not as a run with an error', () => {
    const client = testClient();
    render(withClient(client, <ErrorBanner />));
    act(() => {
      client.store.enqueue(msg.start(['fetch']));
      client.store.enqueue(msg.runState('cancelled', 'cancelled by user'));
      client.store.enqueue(msg.error('Execution cancelled: cancelled by user'));
      client.store.enqueue(msg.complete(false));
    });
    expect(screen.getByRole('heading', { name: 'The run was cancelled' })).toBeTruthy();
    expect(screen.getByText('Execution cancelled: cancelled by user')).toBeTruthy();
  });

  it('shows nothing without errors but an empty live region, then lists them; an error at a node selects it', () => {
    const client = testClient();
    const select = vi.fn();
    const { container } = render(withClient(client, <ErrorBanner onNodeSelect={select} nodeLabel={(id) => `Node ${id}`} />));
    // Mounted before the first error, so the first error is announced too.
    const region = container.querySelector('[aria-live="assertive"]') as HTMLElement;
    expect(region).not.toBeNull();
    expect(region.textContent).toBe('');
    expect(container.textContent).toBe('');
    expect(screen.queryByRole('heading')).toBeNull();

    act(() => client.store.enqueue(msg.start(['fetch'])));
    act(() => client.store.enqueue(msg.error('timeout after 30 s', 'fetch')));
    expect(container.querySelector('[aria-live="assertive"]')).toBe(region);
    expect(region.textContent).toBe('1 error in this run. Latest: timeout after 30 s');
    act(() => client.store.enqueue(msg.error('run aborted')));
    expect(region.textContent).toBe('2 errors in this run. Latest: run aborted');
    expect(screen.getByRole('heading', { name: '2 errors in this run' })).toBeTruthy();
    expect(screen.getByText('run aborted')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^\d\d:\d\d:\d\d\.\d{3} Node fetch timeout after 30 s \(show this node\)$/ }));
    expect(select).toHaveBeenCalledWith('fetch');
  });

  it('says the run failed even when no error message came', () => {
    const client = testClient();
    render(withClient(client, <ErrorBanner />));
    act(() => {
      client.store.enqueue(msg.start(['fetch']));
      client.store.enqueue(msg.complete(false));
    });
    expect(screen.getByRole('heading', { name: 'The run failed' })).toBeTruthy();
  });
});

describe('ProgressBar beyond success and failure', () => {
  it('says paused, cancelled (with the reason) and stale', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b', 'c', 'd']));
      client.store.enqueue(msg.progress(1, 4, 'a'));
      client.store.setState({ runStatus: 'paused' });
    });
    expect(screen.getByText('Paused · 25% · step 1 of 4')).toBeTruthy();
    // The bar's value text says the same to a screen reader, not just where the bar is.
    const valueText = () => screen.getByRole('progressbar').getAttribute('aria-valuetext');
    expect(valueText()).toBe('25 percent, step 1 of 4, paused');
    act(() => client.store.setState({ runStatus: 'cancelled', cancelReason: 'cancelled by ada' }));
    expect(screen.getByText('Cancelled after 1 of 4 steps: cancelled by ada')).toBeTruthy();
    expect(valueText()).toBe('25 percent, Cancelled after 1 of 4 steps: cancelled by ada');
    act(() => client.store.setState({ runStatus: 'running', stale: true }));
    expect(screen.getByText(/the server no longer knows this run$/)).toBeTruthy();
    expect(valueText()).toBe('25 percent, step 1 of 4, the server no longer knows this run');
  });
});

describe('ErrorBanner for a backend that sends no error messages', () => {
  it("lists the reasons a failed run's workflow_complete gave: strings, the seed's { node_id, error }, anything else as JSON", () => {
    const client = testClient();
    const select = vi.fn();
    const { container } = render(withClient(client, <ErrorBanner onNodeSelect={select} nodeLabel={(id) => `Node ${id}`} />));
    act(() => client.store.enqueue(msg.start(['fetch'])));
    const complete = msg.complete(false, 300);
    act(() =>
      client.store.enqueue({
        ...complete,
        data: { ...complete.data, errors: ['Workflow timed out after 300 s', { node_id: 'fetch', error: 'HTTP 503' }, { code: 7 }] },
      }),
    );
    expect(screen.getByRole('heading', { name: 'The run failed' })).toBeTruthy();
    expect(screen.getByText('Workflow timed out after 300 s')).toBeTruthy();
    expect(screen.getByText('{"code":7}')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Node fetch HTTP 503 (show this node)' }));
    expect(select).toHaveBeenCalledWith('fetch');
    expect(container.querySelector('[aria-live="assertive"]')!.textContent).toBe('The run failed. Latest: {"code":7}');
  });
});

describe('announcements on opening the page', () => {
  /** A progress bar and an error banner over one client, and their live regions. */
  function renderAnnouncers() {
    const client = testClient();
    const { container } = render(
      withClient(
        client,
        <>
          <ProgressBar />
          <ErrorBanner />
        </>,
      ),
    );
    const region = (politeness: string) => container.querySelector(`[aria-live="${politeness}"]`) as HTMLElement;
    return { client, polite: region('polite'), assertive: region('assertive') };
  }

  type SnapshotNodeStatus = 'pending' | 'running' | 'error';
  const node = (status: SnapshotNodeStatus, error: string | null = null) => ({
    status,
    result: null,
    error,
    started_at: null,
    finished_at: null,
  });
  /** What a server sends a page that opens on run exec-0 of nodes a, b: a failed at step 1 with "boom". */
  const joinedRun = (run: { run_state: 'failed' | 'running'; b: SnapshotNodeStatus; progress: number; success?: boolean }) =>
    createSnapshotMessage({
      snapshot: {
        ...emptySnapshot(WF),
        execution_id: 'exec-0',
        run_state: run.run_state,
        execution_order: ['a', 'b'],
        total_nodes: 2,
        nodes: { a: node('error', 'boom'), b: node(run.b) },
        current_step: 1,
        total_steps: 2,
        progress: run.progress,
        errors: [{ error: 'boom', node_id: 'a', timestamp: '2026-01-01T00:00:00Z' }],
        success: run.success ?? null,
        started_at: '2026-01-01T00:00:00Z',
      },
    });

  it("do not read out the last run's outcome and errors from its snapshot, only what happens while watching", () => {
    const { client, polite, assertive } = renderAnnouncers();
    // What a server sends a page that opens after a run failed.
    const lastRun = joinedRun({ run_state: 'failed', b: 'pending', progress: 100, success: false });
    act(() => client.store.enqueue(lastRun));
    expect(screen.getByText('Failed after 1 of 2 steps')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '1 error in this run' })).toBeTruthy();
    expect(polite.textContent).toBe('');
    expect(assertive.textContent).toBe('');

    act(() => client.store.enqueue(msg.start(['a', 'b'])));
    expect(polite.textContent).toBe('Run started');
    act(() => client.store.enqueue(msg.error('timeout', 'a')));
    expect(assertive.textContent).toBe('1 error in this run. Latest: timeout');
    act(() => client.store.enqueue(msg.complete(false)));
    expect(polite.textContent).toBe('Run failed');
  });

  it('do not read out the errors already in the snapshot of a run under way either', () => {
    const { client, polite, assertive } = renderAnnouncers();
    act(() => client.store.enqueue(joinedRun({ run_state: 'running', b: 'running', progress: 50 })));
    expect(screen.getByRole('heading', { name: '1 error in this run' })).toBeTruthy();
    expect(polite.textContent).toBe('');
    expect(assertive.textContent).toBe('');
  });

  it('still read out a run watched live that starts and fails within one update', () => {
    const { client, polite, assertive } = renderAnnouncers();
    act(() => {
      for (const m of [
        msg.start(['a']),
        msg.status('a', 'running'),
        msg.status('a', 'error', 5, { error: 'boom' }),
        msg.error('boom', 'a', 5),
        msg.complete(false),
      ])
        client.store.enqueue(m);
    });
    expect(polite.textContent).toBe('Run failed');
    expect(assertive.textContent).toBe('1 error in this run. Latest: boom');
  });
});
