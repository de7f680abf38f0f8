import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { Node } from '@xyflow/react';
import { useState, type ReactElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoundedText, NodeDetailsDialog, WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { msg, renderFlow, settle, testClient, withClient } from './helpers';

type Fetch = typeof fetch;
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const nodes: Node[] = [
  { id: 'fetch', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Fetch orders' } },
  { id: 'parse', type: 'status', position: { x: 0, y: 120 }, data: { label: 'Parse' } },
];

const stage = () => renderFlow(nodes);

afterEach(() => vi.unstubAllGlobals());

/** The details dialog of node `fetch`, whose result came as a `result_ref` to `ref`, fetched with `fetch`. */
function openBigResult(fetch: Fetch, ref = '/api/r/1') {
  const client = testClient();
  act(() => {
    client.store.enqueue(msg.start(['fetch']));
    client.store.enqueue(msg.bigResult('fetch', ref));
  });
  const run = client.store.getState().nodeStatuses.fetch!;
  render(withClient(client, <NodeDetailsDialog nodeId="fetch" label="Fetch" run={run} onClose={() => {}} control={{ fetch }} />));
}

describe('node details', () => {
  it('opens for a completed node on double click, with status, times, duration and the result', async () => {
    const { send, node } = await stage();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running', 0), msg.status('fetch', 'completed', 1500, { result: { rows: 3 } }));
    expect(node('fetch').className).toContain('fp-node--has-details');
    fireEvent.doubleClick(node('fetch'));
    const dialog = screen.getByRole('dialog', { name: 'Fetch orders completed' });
    expect(within(dialog).getByText('Completed')).toBeTruthy();
    expect(within(dialog).getByText('1.5 s')).toBeTruthy();
    // Finished, then started: 1.5 s apart (absolute values depend on the time zone the messages were built in).
    const [finished, started] = [...dialog.querySelectorAll('time')].map((t) => Date.parse(t.getAttribute('dateTime') as string));
    expect(finished! - started!).toBe(1500);
    expect(within(dialog).getByText(/"rows": 3/)).toBeTruthy();
    expect(dialog.closest('.fp-dialog-backdrop')?.classList.contains('fp-dialog--completed')).toBe(true);
  });

  it('opens on Enter on the focused node, and from the badge button', async () => {
    const { send, node, wrapper } = await stage();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'completed', 10, { result: 'ok' }));
    act(() => wrapper('fetch').focus());
    fireEvent.keyDown(wrapper('fetch'), { key: 'Enter' });
    expect(screen.getByRole('dialog', { name: 'Fetch orders completed' })).toBeTruthy();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(wrapper('fetch'));

    const badge = within(node('fetch')).getByRole('button', { name: /Completed: Fetch orders, show details/ });
    expect(badge.getAttribute('aria-haspopup')).toBe('dialog');
    fireEvent.click(badge);
    expect(screen.getByRole('dialog', { name: 'Fetch orders completed' })).toBeTruthy();
  });

  it("Enter's default is prevented, so it cannot also press the dialog's freshly focused Close button", async () => {
    const { send, wrapper } = await stage();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'completed', 10, { result: 'ok' }));
    act(() => wrapper('fetch').focus());
    expect(fireEvent.keyDown(wrapper('fetch'), { key: 'Enter' })).toBe(false);
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('Escape still closes the dialog after a click on its text moved focus to the dialog itself', async () => {
    const { send, wrapper } = await stage();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'completed', 10, { result: 'ok' }));
    act(() => wrapper('fetch').focus());
    fireEvent.keyDown(wrapper('fetch'), { key: 'Enter' });
    const dialog = screen.getByRole('dialog');
    act(() => dialog.focus()); // what a click on non-focusable text inside does
    expect(document.activeElement).toBe(dialog);
    // Shift+Tab from there wraps to the dialog's last control instead of leaving the modal.
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    const controls = dialog.querySelectorAll('button, [href], [tabindex]:not([tabindex="-1"])');
    expect(document.activeElement).toBe(controls[controls.length - 1]);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('does not open for pending or running nodes', async () => {
    const { send, node, wrapper } = await stage();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running'));
    fireEvent.click(node('fetch'));
    fireEvent.doubleClick(node('fetch'));
    fireEvent.doubleClick(node('parse'));
    act(() => wrapper('fetch').focus());
    fireEvent.keyDown(wrapper('fetch'), { key: 'Enter' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(node('fetch')).queryByRole('button')).toBeNull();
  });

  it('fetches a result sent as result_ref, with a loading state, and shows it pretty-printed', async () => {
    let answer!: (r: Response) => void;
    const fetch = vi.fn<Fetch>(() => new Promise<Response>((resolve) => (answer = resolve)));
    const ref = '/api/workflows/123/executions/exec-1/nodes/fetch/result';
    openBigResult(fetch, ref);
    const dialog = screen.getByRole('dialog');
    const region = dialog.querySelector('.fp-result') as HTMLElement;
    const live = dialog.querySelector('[aria-live="polite"]') as HTMLElement;
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(live.textContent).toBe('');
    expect(within(dialog).getByText('Loading the full result…')).toBeTruthy();
    expect(within(dialog).getByText(ref)).toBeTruthy();
    // The request goes out once the (socket's) token has been asked for.
    await act(async () => {});
    expect(String(fetch.mock.calls[0]?.[0])).toBe(`http://localhost:8000${ref}`);

    await act(async () => answer(json({ rows: [1, 2, 3] })));
    expect(region.getAttribute('aria-busy')).toBe('false');
    expect(dialog.querySelector('pre')?.textContent).toBe(JSON.stringify({ rows: [1, 2, 3] }, null, 2));
    expect(fetch).toHaveBeenCalledOnce();
    // The result itself (possibly megabytes) is not read out: a short line is, from outside the busy region.
    expect(region.closest('[aria-live]')).toBeNull();
    expect(region.querySelector('[aria-live]')).toBeNull();
    expect(live.textContent).toBe(`Result loaded (${JSON.stringify({ rows: [1, 2, 3] }, null, 2).length} characters)`);
  });

  it('keeps focus on "Try again" while it fetches again, then hands it to the result', async () => {
    const answers: Array<(r: Response) => void> = [];
    const fetch = vi.fn<Fetch>(() => new Promise<Response>((resolve) => answers.push(resolve)));
    openBigResult(fetch);
    await act(async () => {});
    await act(async () => answers[0]!(json({ error: 'result expired' }, 410)));
    const live = screen.getByRole('dialog').querySelector('[aria-live="polite"]') as HTMLElement;
    expect(live.textContent).toBe('Could not load the result');

    const retry = screen.getByRole('button', { name: 'Try again' });
    act(() => retry.focus());
    await act(async () => fireEvent.click(retry));
    expect(screen.getByText('Loading the full result…')).toBeTruthy();
    // Still there, and still focused, but off while the fetch runs.
    expect(document.activeElement).toBe(retry);
    expect(retry.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(retry);
    expect(fetch).toHaveBeenCalledTimes(2);

    await act(async () => answers[1]!(json('the value')));
    expect(retry.isConnected).toBe(false);
    expect(document.activeElement).toBe(screen.getByRole('dialog').querySelector('pre'));
  });

  it('shows a failed fetch with "Try again", which fetches again', async () => {
    const fetch = vi.fn<Fetch>(async () => json({ error: 'result expired' }, 410));
    openBigResult(fetch);
    await act(async () => {});
    expect(screen.getByText('Could not load the result: result expired')).toBeTruthy();

    fetch.mockImplementation(async () => json('the value'));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('dialog').querySelector('pre')?.textContent).toBe('the value');
  });

  it('on the canvas, fetches with the canvas token unless control says otherwise', async () => {
    const fetch = vi.fn<Fetch>(async () => json({ big: true }));
    vi.stubGlobal('fetch', fetch);
    const client = testClient();
    const graph: WorkflowGraph = { nodes: [{ id: 'fetch', label: 'Fetch' }], edges: [] };
    const { container } = render(<WorkflowCanvas client={client} token="t0ken" graph={graph} showLogs={false} />);
    await settle();
    act(() => {
      client.store.enqueue(msg.start(['fetch']));
      client.store.enqueue(msg.bigResult('fetch', '/api/r/2'));
    });
    await act(async () => fireEvent.click(container.querySelector('.fp-node__details') as HTMLElement));
    expect(screen.getByRole('dialog').querySelector('pre')?.textContent).toContain('"big": true');
    const init = fetch.mock.calls[0]?.[1] as RequestInit;
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer t0ken');
  });
});

describe('node details palette', () => {
  it('an open dialog follows the canvas from light to dark and back', async () => {
    const client = testClient();
    let setMode!: (mode: 'light' | 'dark') => void;
    function App() {
      const [mode, set] = useState<'light' | 'dark'>('light');
      setMode = set;
      return <WorkflowCanvas graph={{ nodes: [{ id: 'a' }], edges: [] }} colorMode={mode} />;
    }
    render(withClient(client, <App />));
    await settle();
    act(() => {
      client.store.enqueue(msg.start(['a']));
      client.store.enqueue(msg.status('a', 'completed', 10, { result: 1 }));
    });
    fireEvent.click(document.querySelector('[data-id="a"] .fp-node__details')!);
    const dialog = () => screen.getByRole('dialog').closest('.fp-dialog-backdrop')!;
    expect(dialog().className).not.toContain('fp-dark');
    act(() => setMode('dark'));
    await settle();
    expect(dialog().className).toContain('fp-dark');
    act(() => setMode('light'));
    await settle();
    expect(dialog().className).not.toContain('fp-dark');
  });
});

describe('node details palette set by class', () => {
  // An fp-dark ancestor reaches the dialog through the copied variables: test/browser checks that, with the CSS.
  it.each([['className="fp-dark" on the canvas', (canvas: ReactElement) => canvas, { className: 'fp-dark' }]])(
    'a canvas made dark by %s opens a dark dialog',
    async (_, wrap, props) => {
      const client = testClient();
      render(withClient(client, wrap(<WorkflowCanvas graph={{ nodes: [{ id: 'a' }], edges: [] }} {...props} />)));
      await settle();
      act(() => {
        client.store.enqueue(msg.start(['a']));
        client.store.enqueue(msg.status('a', 'completed', 10, { result: 1 }));
      });
      fireEvent.click(document.querySelector('[data-id="a"] .fp-node__details')!);
      expect(screen.getByRole('dialog').closest('.fp-dialog-backdrop')!.className).toContain('fp-dark');
    },
  );
});

describe('BoundedText', () => {
  it('shows the first `limit` characters of a huge text, and all of it on request', () => {
    const text = 'x'.repeat(25_000);
    render(<BoundedText text={text} />);
    const pre = document.querySelector('pre') as HTMLElement;
    expect(pre.textContent).toHaveLength(20_001); // with the ellipsis
    expect(screen.getByText('First 20,000 of 25,000 characters')).toBeTruthy();
    const more = screen.getByRole('button', { name: 'Show all' });
    expect(more.getAttribute('aria-expanded')).toBe('false');
    expect(more.getAttribute('aria-controls')).toBe(pre.id);
    fireEvent.click(more);
    expect(pre.textContent).toHaveLength(25_000);
    fireEvent.click(screen.getByRole('button', { name: 'Show less' }));
    expect(pre.textContent).toHaveLength(20_001);
  });

  it('shows a short text whole, without a button', () => {
    render(<BoundedText text="short" limit={10} />);
    expect(screen.queryByRole('button')).toBeNull();
    expect(document.querySelector('pre')?.textContent).toBe('short');
  });
});
