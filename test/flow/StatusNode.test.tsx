import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlow, type Node } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { nodeTypes, type StatusNodeType } from 'flowpulse/flow';
import { msg, settle, testClient, withClient } from './helpers';

const nodes: StatusNodeType[] = [
  { id: 'fetch', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Fetch orders', type: 'http' } },
  { id: 'parse', type: 'status', position: { x: 0, y: 120 }, data: { label: 'Parse' } },
];

async function setup() {
  const client = testClient();
  const view = render(
    withClient(
      client,
      <div style={{ width: 800, height: 600 }}>
        <ReactFlow nodes={nodes as Node[]} nodeTypes={nodeTypes} />
      </div>,
    ),
  );
  const send = (...messages: Parameters<typeof client.store.enqueue>[0][]) => act(() => messages.forEach((m) => client.store.enqueue(m)));
  const node = (id: string) => view.container.querySelector(`.react-flow__node[data-id="${id}"] .fp-node`) as HTMLElement;
  await settle();
  return { client, view, send, node };
}

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

  it('opens the dialog on a click anywhere on a failed node, and the close button closes it', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('parse', 'error', 10, { error: 'bad row' }));
    fireEvent.click(node('parse'));
    const dialog = screen.getByRole('dialog', { name: 'Parse failed' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps focus inside the dialog on Tab', async () => {
    const { node, send } = await setup();
    send(msg.start(['fetch', 'parse']), msg.status('parse', 'error', 10, { error: 'bad row' }));
    fireEvent.click(node('parse'));
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
