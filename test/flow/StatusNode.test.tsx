import './setup-react-flow';
import { act, fireEvent, screen, within } from '@testing-library/react';
import type { Node } from '@xyflow/react';
import { describe, expect, it, vi } from 'vitest';
import type { StatusNodeType } from 'flowpulse/flow';
import { msg, renderFlow } from './helpers';

const nodes: StatusNodeType[] = [
  { id: 'fetch', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Fetch orders', type: 'http' } },
  { id: 'parse', type: 'status', position: { x: 0, y: 120 }, data: { label: 'Parse' } },
];

const setup = () => renderFlow(nodes as Node[]);

describe('StatusNode', () => {
  it('is pending before the run mentions it, with an icon and a word, not colour alone', async () => {
    const { node } = await setup();
    const el = node('fetch');
    expect(el.className).toContain('fp-node--pending');
    expect(el.dataset.status).toBe('pending');
    expect(within(el).getByText('Fetch orders')).toBeTruthy();
    expect(within(el).getByText('http')).toBeTruthy();
    expect(within(el).getByText('Pending')).toBeTruthy();
    expect(el.querySelector('.fp-badge__icon')).not.toBeNull();
    expect(el.getAttribute('aria-current')).toBeNull();
  });

  it('shows running, and marks the running node as the current step', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running'));
    const el = node('fetch');
    expect(el.className).toContain('fp-node--running');
    expect(el.className).toContain('fp-node--current');
    expect(el.getAttribute('aria-current')).toBe('step');
    expect(within(el).getByText('Running')).toBeTruthy();
    expect(node('parse').className).not.toContain('fp-node--current');
  });

  it('highlights the node the last progress message names', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.progress(1, 2, 'parse'));
    expect(node('parse').className).toContain('fp-node--current');
    expect(node('parse').className).toContain('fp-node--pending');
    send(msg.progress(2, 2, 'fetch'));
    expect(node('parse').className).not.toContain('fp-node--current');
    expect(node('fetch').className).toContain('fp-node--current');
  });

  it('a progress naming a node that just finished (as our server sends it) leaves the ring on the running one', async () => {
    const { node, send } = await setup();
    send(
      msg.start(['fetch', 'parse']),
      msg.status('fetch', 'running'),
      msg.status('fetch', 'completed', 5),
      msg.status('parse', 'running', 6),
    );
    send(msg.progress(1, 2, 'fetch'));
    expect(node('fetch').className).not.toContain('fp-node--current');
    expect(node('parse').className).toContain('fp-node--current');
  });

  it('keyboard focus on the node shows its error; Escape hides it; a pointer gone during another run leaves none open', async () => {
    const { node, wrapper, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'error', 5, { error: 'first' }));
    const tip = () => node('fetch').querySelector('[role="tooltip"]') as HTMLElement;
    act(() => wrapper('fetch').focus());
    expect(tip().hidden).toBe(false);
    expect(fireEvent.keyDown(wrapper('fetch'), { key: 'Escape' })).toBe(true);
    expect(tip().hidden).toBe(true);
    act(() => wrapper('fetch').blur());

    // On a node with no tooltip, Escape is React Flow's (it unselects): not swallowed.
    const reached = vi.fn();
    document.addEventListener('keydown', reached);
    act(() => wrapper('parse').focus());
    fireEvent.keyDown(wrapper('parse'), { key: 'Escape' });
    document.removeEventListener('keydown', reached);
    expect(reached).toHaveBeenCalledTimes(1);

    fireEvent.mouseEnter(node('fetch'));
    send({ ...msg.start(['fetch', 'parse']), data: { ...msg.start(['fetch', 'parse']).data, execution_id: 'exec-2' } });
    fireEvent.mouseLeave(node('fetch')); // while the node is pending
    send({
      ...msg.status('fetch', 'error', 9, { error: 'second' }),
      data: { ...msg.status('fetch', 'error', 9, { error: 'second' }).data, execution_id: 'exec-2' },
    });
    expect(tip().textContent).toBe('second');
    expect(tip().hidden).toBe(true);
  });

  it('shows completed with the duration once finished', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running', 0), msg.status('fetch', 'completed', 1234, { result: { rows: 3 } }));
    const el = node('fetch');
    expect(el.className).toContain('fp-node--completed');
    expect(el.className).not.toContain('fp-node--current');
    expect(within(el).getByText('Completed')).toBeTruthy();
    expect(within(el).getByText('1.2 s')).toBeTruthy();
  });

  it('shows the error message in a tooltip on hover and on keyboard focus; Escape hides it', async () => {
    const { node, send } = await setup();
    send(
      msg.start(['fetch', 'parse']),
      msg.status('fetch', 'running', 0),
      msg.status('fetch', 'error', 800, { error: 'HTTP 503 from orders API' }),
    );
    const el = node('fetch');
    expect(el.className).toContain('fp-node--error');
    expect(within(el).getByText('Error')).toBeTruthy();
    expect(within(el).getByText('800 ms')).toBeTruthy();
    const tip = el.querySelector('[role="tooltip"]') as HTMLElement;
    expect(tip.textContent).toBe('HTTP 503 from orders API');
    expect(tip.hidden).toBe(true);

    fireEvent.mouseEnter(el);
    expect(tip.hidden).toBe(false);
    fireEvent.mouseLeave(el);
    expect(tip.hidden).toBe(true);

    const button = within(el).getByRole('button');
    expect(button.getAttribute('aria-describedby')).toBe(tip.id);
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    act(() => button.focus());
    expect(tip.hidden).toBe(false);
    fireEvent.keyDown(button, { key: 'Escape' });
    expect(tip.hidden).toBe(true);
  });

  it('opens an accessible dialog on click with message, node id, time and result; Escape closes and focus returns', async () => {
    const { node, send } = await setup();
    send(
      msg.start(['fetch', 'parse']),
      msg.status('fetch', 'running', 0),
      msg.status('fetch', 'error', 800, { error: 'HTTP 503 from orders API', result: { attempt: 3 } }),
    );
    const button = within(node('fetch')).getByRole('button');
    act(() => button.focus());
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const title = document.getElementById(dialog.getAttribute('aria-labelledby') as string);
    expect(title?.textContent).toBe('Fetch orders failed');
    expect(within(dialog).getByText('HTTP 503 from orders API')).toBeTruthy();
    expect(within(dialog).getByText('fetch')).toBeTruthy();
    expect(dialog.querySelector('time')?.getAttribute('dateTime')).toMatch(/^2025-11-13T/);
    expect(within(dialog).getByText(/"attempt": 3/)).toBeTruthy();
    expect(dialog.contains(document.activeElement)).toBe(true);

    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('selects on a plain click; opens the dialog on a double click, never with modifier keys; the close button closes it', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('parse', 'error', 10, { error: 'bad row' }));
    // A plain click is React Flow's (it selects: see the canvas's log filter tests).
    fireEvent.click(node('parse'));
    expect(screen.queryByRole('dialog')).toBeNull();

    // Shift, Ctrl and Cmd belong to React Flow's multi-selection.
    fireEvent.doubleClick(node('parse'), { shiftKey: true });
    fireEvent.doubleClick(node('parse'), { metaKey: true });
    fireEvent.click(within(node('parse')).getByRole('button'), { ctrlKey: true });
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.doubleClick(node('parse'));
    const dialog = screen.getByRole('dialog', { name: 'Parse failed' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps focus inside the dialog on Tab', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('parse', 'error', 10, { error: 'bad row' }));
    fireEvent.click(within(node('parse')).getByRole('button', { name: /show details/ }));
    const close = screen.getByRole('button', { name: 'Close' });
    // The result is a focusable scrolling region, so keyboard users can scroll it.
    const result = screen.getByRole('dialog').querySelector('pre') as HTMLElement;
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(result);
    fireEvent.keyDown(result, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
  });

  it('never puts run state into React Flow node data', async () => {
    const { send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'completed', 5, { result: 1 }));
    expect(nodes[0]?.data).toEqual({ label: 'Fetch orders', type: 'http' });
  });
});

describe('StatusNode for assistive technology', () => {
  it('names React Flow’s focusable wrapper after the label and the status, stalled included', async () => {
    const { client, send } = await setup();
    expect(screen.getByRole('group', { name: 'Fetch orders Pending' })).toBeTruthy();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running'));
    expect(screen.getByRole('group', { name: 'Fetch orders Running' })).toBeTruthy();
    act(() => client.store.setState({ stalledNodeIds: ['fetch'] }));
    expect(screen.getByRole('group', { name: 'Fetch orders Running Stalled' })).toBeTruthy();
    send(msg.status('parse', 'completed', 10, { result: 1 }));
    // A finished node's status sits in its details button; the name still reads it.
    expect(screen.getByRole('group', { name: 'Parse Completed' })).toBeTruthy();
  });

  it('shows and names the percent a running node reports of itself, and drops it once finished', async () => {
    const { send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running', 1, { progress: 44.6 }));
    expect(screen.getByRole('group', { name: 'Fetch orders Running 45%' })).toBeTruthy();
    send(msg.status('fetch', 'completed', 2, { result: 1 }));
    expect(screen.getByRole('group', { name: 'Fetch orders Completed' })).toBeTruthy();
    expect(screen.queryByText('45%')).toBeNull();
  });

  it('describes a failed node’s wrapper by its error message, what Enter does, then React Flow’s key help', async () => {
    const { send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'error', 10, { error: 'Payment API returned 503' }));
    const group = screen.getByRole('group', { name: 'Fetch orders Error' });
    const [first, keys, ...rest] = group.getAttribute('aria-describedby')!.split(' ');
    expect(document.getElementById(first!)!.textContent).toBe('Payment API returned 503');
    expect(document.getElementById(keys!)!.textContent).toBe('Press Enter for its details.');
    expect(rest.length).toBe(1); // React Flow's own description stays
    send(msg.start(['fetch', 'parse']));
    expect(screen.getByRole('group', { name: 'Fetch orders Pending' }).getAttribute('aria-describedby')!.split(' ')).toHaveLength(1);
  });

  it('leaves the name to a node’s own ariaLabel', async () => {
    const labelled: Node[] = [{ id: 'x', type: 'status', position: { x: 0, y: 0 }, data: { label: 'X' }, ariaLabel: 'Custom name' }];
    const { wrapper } = await renderFlow(labelled);
    expect(wrapper('x').getAttribute('aria-labelledby')).toBeNull();
    expect(screen.getByRole('group', { name: 'Custom name' })).toBe(wrapper('x'));
  });

  it('keeps the current ring and aria-current only while the run is live: running or paused, not stale, not over', async () => {
    const { client, node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.progress(1, 2, 'fetch'), msg.status('fetch', 'running'));
    expect(node('fetch').getAttribute('aria-current')).toBe('step');
    send(msg.runState('paused'));
    expect(node('fetch').getAttribute('aria-current')).toBe('step');
    expect(node('fetch').className).toContain('fp-node--current');
    send(msg.runState('running'), msg.progress(2, 2, 'parse'), msg.complete(false));
    // The last progress named parse, but the run is over: nothing is being worked on.
    expect(node('parse').getAttribute('aria-current')).toBeNull();
    expect(node('parse').className).not.toContain('fp-node--current');

    send({ ...msg.start(['fetch', 'parse']), data: { ...msg.start(['fetch', 'parse']).data, execution_id: 'exec-2' } });
    act(() => client.store.setState({ currentNodeId: 'parse' }));
    expect(node('parse').getAttribute('aria-current')).toBe('step');
    act(() => client.store.setState({ stale: true }));
    expect(node('parse').getAttribute('aria-current')).toBeNull();
  });
});

describe('StatusNode details across runs', () => {
  it('keeps an open dialog on the finished state when a new run resets the node, says so, and returns focus to the node', async () => {
    const { node, send, view } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'completed', 1234, { result: { rows: 3 } }));
    const wrapper = view.container.querySelector('.react-flow__node[data-id="fetch"]') as HTMLElement;
    const badge = within(node('fetch')).getByRole('button', { name: /show details/ });
    act(() => badge.focus());
    fireEvent.click(badge);
    expect(screen.getByRole('dialog', { name: 'Fetch orders completed' })).toBeTruthy();

    // A new run: the node is pending again and its details button is gone.
    send({ ...msg.start(['fetch', 'parse']), data: { ...msg.start(['fetch', 'parse']).data, execution_id: 'exec-2' } });
    expect(node('fetch').dataset.status).toBe('pending');
    expect(badge.isConnected).toBe(false);
    const dialog = screen.getByRole('dialog', { name: 'Fetch orders completed' });
    expect(within(dialog).getByText(/"rows": 3/)).toBeTruthy();
    expect(within(dialog).getByText(/these details are from the earlier run/)).toBeTruthy();

    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(wrapper);
  });
});

describe('StatusNode beyond the spec’s four states', () => {
  it('marks a running node as stalled when the store says so, and as unknown once the run is stale', async () => {
    const { client, node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running'));
    act(() => client.store.setState({ stalledNodeIds: ['fetch'] }));
    expect(node('fetch').className).toContain('fp-node--stalled');
    expect(within(node('fetch')).getByText('Stalled')).toBeTruthy();
    expect(node('parse').className).not.toContain('fp-node--stalled');

    act(() => client.store.setState({ stale: true }));
    const el = node('fetch');
    expect(el.className).toContain('fp-node--unknown');
    expect(el.className).not.toContain('fp-node--running');
    expect(el.className).not.toContain('fp-node--current');
    expect(within(el).getByText('Unknown')).toBeTruthy();
    expect(node('parse').className).toContain('fp-node--pending');
  });
});
