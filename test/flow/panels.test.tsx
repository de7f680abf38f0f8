import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionIndicator, ErrorBanner, LogPanel, ProgressBar, connectionText } from 'flowpulse/flow';
import { INITIAL_CONNECTION, createWorkflowClient, type ConnectionState } from 'flowpulse';
import { msg, testClient, withClient } from './helpers';

describe('ProgressBar', () => {
  it('is a labelled progressbar with value text and a polite live status line', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar nodeLabel={(id) => id.toUpperCase()} />));
    const bar = screen.getByRole('progressbar', { name: 'Workflow progress' });
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText('Waiting for a run').getAttribute('aria-live')).toBe('polite');

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

  it('says where a failed run stopped', () => {
    const client = testClient();
    render(withClient(client, <ProgressBar />));
    act(() => {
      client.store.enqueue(msg.start(['a', 'b']));
      client.store.enqueue(msg.progress(1, 2, 'a'));
      client.store.enqueue(msg.complete(false));
    });
    expect(screen.getByText('Failed at step 1 of 2')).toBeTruthy();
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
    expect(screen.getByRole('status').textContent).toContain('attempt 2');

    act(() => client.store.setConnection(state({ status: 'closed', why: 'server', closeCode: 1011, closeReason: 'boom' })));
    expect(screen.getByRole('status').textContent).toBe('Disconnected: closed by the server (1011 boom)');
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    expect(reconnect).toHaveBeenCalledOnce();
  });
});

describe('LogPanel', () => {
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
    const send = (...m: Parameters<typeof client.store.enqueue>[0][]) => act(() => m.forEach((x) => client.store.enqueue(x)));
    return { client, view, list, grow, send };
  }

  it('shows lines with time, level and message, and filters by minimum level', () => {
    const { send, list } = setup();
    send(msg.start(['a']), msg.log('starting', 'info'), msg.log('slow response', 'warning'), msg.log('failed', 'error'));
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
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
  it('renders nothing without errors, then lists them; an error at a node selects it', () => {
    const client = testClient();
    const select = vi.fn();
    const { container } = render(withClient(client, <ErrorBanner onNodeSelect={select} nodeLabel={(id) => `Node ${id}`} />));
    expect(container.innerHTML).toBe('');

    act(() => {
      client.store.enqueue(msg.start(['fetch']));
      client.store.enqueue(msg.error('timeout after 30 s', 'fetch'));
      client.store.enqueue(msg.error('run aborted'));
    });
    expect(screen.getByRole('heading', { name: '2 errors in this run' }).getAttribute('aria-live')).toBe('assertive');
    expect(screen.getByText('run aborted')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Node fetch.*timeout after 30 s/ }));
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
    act(() => client.store.setState({ runStatus: 'cancelled', cancelReason: 'cancelled by ada' }));
    expect(screen.getByText('Cancelled at step 1 of 4: cancelled by ada')).toBeTruthy();
    act(() => client.store.setState({ runStatus: 'running', stale: true }));
    expect(screen.getByText(/the server no longer knows this run$/)).toBeTruthy();
  });
});
