import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { RunToolbar } from 'flowpulse/flow';
import { msg, testClient, withClient } from './helpers';

type Fetch = typeof fetch;

/** A fetch that answers every call with `status` and `body`, recording what was asked. */
function fakeFetch(status = 200, body: unknown = { ok: true }) {
  return vi.fn<Fetch>(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

function setup(fetch: Fetch = fakeFetch(), props: { initialInputs?: Record<string, unknown> } = {}) {
  const client = testClient();
  const report = vi.spyOn(client, 'report');
  render(withClient(client, <RunToolbar fetch={fetch} {...props} />));
  const toolbar = screen.getByRole('toolbar', { name: 'Run controls' });
  const button = (name: string) => within(toolbar).getByRole('button', { name }) as HTMLButtonElement;
  // Off buttons are aria-disabled (they keep focus), never `disabled`.
  const enabled = () => ['Run', 'Pause', 'Resume', 'Cancel'].filter((n) => button(n).getAttribute('aria-disabled') !== 'true');
  const send = (...m: Parameters<typeof client.store.enqueue>[0][]) => act(() => m.forEach((x) => client.store.enqueue(x)));
  return { client, report, toolbar, button, enabled, send };
}

describe('RunToolbar', () => {
  it('enables only what makes sense for each run status', () => {
    const { client, enabled, send } = setup();
    expect(enabled()).toEqual(['Run']); // idle

    send(msg.start(['a', 'b']));
    expect(enabled()).toEqual(['Pause', 'Cancel']); // running

    send(msg.runState('paused'));
    expect(enabled()).toEqual(['Resume', 'Cancel']);

    send(msg.runState('running'));
    expect(enabled()).toEqual(['Pause', 'Cancel']);

    send(msg.runState('cancelled', 'cancelled by user'));
    expect(enabled()).toEqual(['Run']);

    send(msg.start(['a', 'b']), msg.complete(true));
    expect(enabled()).toEqual(['Run']); // completed

    act(() => client.store.setState({ runStatus: 'failed' }));
    expect(enabled()).toEqual(['Run']);
  });

  it('offers only Run on a stale run: the server cannot pause what it forgot, until it speaks of the run again', () => {
    const { enabled, send } = setup();
    send(msg.start(['a', 'b']), msg.status('a', 'running'), msg.forgotten());
    expect(enabled()).toEqual(['Run']);
    // A server that knows the run (another instance, after a reconnect) says it is paused: it can be resumed.
    send(msg.runState('paused'));
    expect(enabled()).toEqual(['Resume', 'Cancel']);
  });

  it('Run posts the initial inputs to the execute endpoint', async () => {
    const fetch = fakeFetch(202, { execution_id: 'exec-2' });
    const { button } = setup(fetch, { initialInputs: { user: 'ada' } });
    await act(async () => fireEvent.click(button('Run')));
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://localhost:8000/api/workflows/123/execute');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ initial_inputs: { user: 'ada' } });
  });

  it('Pause, Resume and Cancel post to the current execution', async () => {
    const fetch = fakeFetch();
    const { button, send } = setup(fetch);
    send(msg.start(['a', 'b']));
    await act(async () => fireEvent.click(button('Pause')));
    send(msg.runState('paused'));
    await act(async () => fireEvent.click(button('Resume')));
    await act(async () => fireEvent.click(button('Cancel')));
    expect(fetch.mock.calls.map(([url, init]) => `${init?.method} ${String(url)}`)).toEqual([
      'POST http://localhost:8000/api/workflows/123/executions/exec-1/pause',
      'POST http://localhost:8000/api/workflows/123/executions/exec-1/resume',
      'POST http://localhost:8000/api/workflows/123/executions/exec-1/cancel',
    ]);
  });

  it('is disabled and aria-busy while a request is in flight', async () => {
    let answer!: (r: Response) => void;
    const fetch = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { toolbar, enabled, button, send } = setup(fetch);
    send(msg.start(['a']));
    act(() => fireEvent.click(button('Pause')));
    await act(async () => {});
    expect(toolbar.getAttribute('aria-busy')).toBe('true');
    expect(enabled()).toEqual([]);
    await act(async () => answer(new Response('{}', { status: 200 })));
    expect(toolbar.getAttribute('aria-busy')).toBe('false');
    expect(enabled()).toEqual(['Pause', 'Cancel']);
  });

  it('is one Tab stop; arrow keys, Home and End move between its buttons', () => {
    const { button } = setup();
    const tabbable = () => ['Run', 'Pause', 'Resume', 'Cancel'].filter((n) => button(n).tabIndex === 0);
    expect(tabbable()).toEqual(['Run']);
    act(() => button('Run').focus());
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(button('Pause'));
    expect(tabbable()).toEqual(['Pause']);
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(document.activeElement).toBe(button('Cancel'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(button('Run'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(button('Cancel'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(document.activeElement).toBe(button('Run'));
    // Alt+Left is the browser's Back, not ours.
    expect(fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft', altKey: true })).toBe(true);
    expect(document.activeElement).toBe(button('Run'));
  });

  it('shows a failed request as an alert and reports it to the client', async () => {
    const fetch = fakeFetch(409, { error: 'execution is not running' });
    const { button, send, report } = setup(fetch);
    send(msg.start(['a']));
    await act(async () => fireEvent.click(button('Pause')));
    expect(screen.getByRole('alert').textContent).toBe('Pause failed: execution is not running');
    expect(report).toHaveBeenCalledWith({ code: 'http_error', message: 'execution is not running' });
    // The next attempt clears the old message.
    fetch.mockImplementation(async () => new Response('{}', { status: 200 }));
    await act(async () => fireEvent.click(button('Pause')));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a failure belongs to its run: the next execution on screen clears it', async () => {
    const { button, send } = setup(fakeFetch(409, { error: 'execution is not running' }));
    send(msg.start(['a']));
    await act(async () => fireEvent.click(button('Pause')));
    expect(screen.getByRole('alert')).toBeTruthy();
    send(msg.complete(true), { ...msg.start(['a']), data: { ...msg.start(['a']).data, execution_id: 'exec-2' } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps focus on the pressed button while busy and after the run moves on', async () => {
    let answer!: (r: Response) => void;
    const fetch = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { button, send, enabled } = setup(fetch);
    send(msg.start(['a']));
    const pause = button('Pause');
    act(() => pause.focus());
    act(() => fireEvent.click(pause));
    await act(async () => {});
    // Off, but still focusable and focused: no fall back to <body>.
    expect(pause.disabled).toBe(false);
    expect(pause.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(pause);
    // Presses while off do nothing.
    fireEvent.click(pause);
    fireEvent.click(button('Cancel'));
    expect(fetch).toHaveBeenCalledOnce();

    await act(async () => answer(new Response('{}', { status: 200 })));
    send(msg.runState('paused'));
    expect(enabled()).toEqual(['Resume', 'Cancel']);
    expect(document.activeElement).toBe(pause);
  });

  it('keeps Run off after a successful start until the socket reports that execution', async () => {
    const fetch = fakeFetch(202, { execution_id: 'exec-2' });
    const { button, enabled, send } = setup(fetch);
    send(msg.start(['a']), msg.complete(true));
    expect(enabled()).toEqual(['Run']);
    await act(async () => fireEvent.click(button('Run')));
    expect(fetch).toHaveBeenCalledOnce();
    // Accepted, not yet on the socket: a second press would start a duplicate run.
    expect(enabled()).toEqual([]);
    await act(async () => fireEvent.click(button('Run')));
    expect(fetch).toHaveBeenCalledOnce();

    // An unrelated message of the old run changes nothing.
    send(msg.log('late line'));
    expect(enabled()).toEqual([]);

    const next = msg.start(['a']);
    send({ ...next, data: { ...next.data, execution_id: 'exec-2' } });
    expect(enabled()).toEqual(['Pause', 'Cancel']);
  });

  it('gives Run back after 5 s if the socket never reports the new execution', async () => {
    vi.useFakeTimers();
    try {
      const fetch = fakeFetch(202, { execution_id: 'exec-9' });
      const { button, enabled } = setup(fetch);
      await act(async () => fireEvent.click(button('Run')));
      expect(enabled()).toEqual([]);
      act(() => vi.advanceTimersByTime(4900));
      expect(enabled()).toEqual([]);
      act(() => vi.advanceTimersByTime(100));
      expect(enabled()).toEqual(['Run']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears its wait timer on unmount', async () => {
    vi.useFakeTimers();
    try {
      const fetch = fakeFetch(202, { execution_id: 'exec-9' });
      const client = testClient();
      const view = render(withClient(client, <RunToolbar fetch={fetch} />));
      await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run' })));
      expect(vi.getTimerCount()).toBe(1);
      view.unmount();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends the token it is given', async () => {
    const fetch = fakeFetch();
    const client = testClient();
    render(withClient(client, <RunToolbar fetch={fetch} token={() => 'secret'} />));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run' })));
    const init = fetch.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });
});
