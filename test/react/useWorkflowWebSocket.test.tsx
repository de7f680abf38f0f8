import { StrictMode, useRef, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { useNodeStatus, useWorkflowSelector, useWorkflowWebSocket, WorkflowProvider } from 'flowpulse';
import { createLogMessage, createNodeStatusMessage, createWorkflowStartMessage } from 'flowpulse/protocol';
import { specMessages, specText } from '../fixtures';
import { mockWorkflowServer } from '../core/mock-server';

let mock: ReturnType<typeof mockWorkflowServer>;

beforeEach(() => {
  mock = mockWorkflowServer();
});

afterEach(async () => {
  vi.useRealTimers();
  await mock.stop();
});

const open = async (result: { current: { isConnected: boolean } }) => waitFor(() => expect(result.current.isConnected).toBe(true));

describe('useWorkflowWebSocket with the spec example messages', () => {
  it('reaches the state the spec describes, message by message', async () => {
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket }));
    expect(result.current).toMatchObject({ nodeStatuses: {}, edgeFlows: [], progress: 0, isConnected: false });
    await open(result);
    expect(result.current.connectionState.status).toBe('open');

    act(() => mock.send(specText('workflow_start')));
    await waitFor(() => expect(result.current.executionId).toBe('uuid-string'));
    expect(result.current.nodeStatuses).toEqual({
      node1: { status: 'pending' },
      node2: { status: 'pending' },
      node3: { status: 'pending' },
    });
    expect(result.current.progress).toBe(0);

    act(() => mock.send(specText('node_status_running')));
    await waitFor(() => expect(result.current.nodeStatuses.node1?.status).toBe('running'));

    act(() => mock.send(specText('progress')));
    await waitFor(() => expect(result.current.progress).toBe(40));

    act(() => mock.send(specText('node_status_completed')));
    await waitFor(() => expect(result.current.nodeStatuses.node1).toMatchObject({ status: 'completed', result: { output: 'ok' } }));

    act(() => mock.send(specText('edge_flow')));
    await waitFor(() => expect(result.current.edgeFlows).toHaveLength(1));
    expect(result.current.edgeFlows[0]).toMatchObject({
      sourceNodeId: 'node1',
      targetNodeId: 'node2',
      timestamp: '2025-11-13T10:30:02.456789',
    });

    act(() => mock.send(specText('log')));
    await waitFor(() => expect(result.current.logs.map((l) => l.message)).toEqual(['log message']));

    act(() => mock.send(specText('node_status_error')));
    act(() => mock.send(specText('error')));
    await waitFor(() => expect(result.current.errors).toEqual([expect.objectContaining({ message: 'error message', nodeId: 'node1' })]));
    expect(result.current.nodeStatuses.node1).toMatchObject({ status: 'error', error: 'error message' });

    act(() => mock.send(specText('pong')));
    act(() => mock.send(specText('workflow_complete')));
    await waitFor(() => expect(result.current.progress).toBe(100));
    expect(result.current.runStatus).toBe('completed');
  });

  it('the edge flow is gone 3 s later', async () => {
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, batch: 'sync' }));
    await open(result);
    vi.useFakeTimers();
    act(() => mock.send(specText('edge_flow')));
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(result.current.edgeFlows).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(2_900));
    expect(result.current.edgeFlows).toHaveLength(1);
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(result.current.edgeFlows).toHaveLength(0);
  });

  it('a burst of messages renders once', async () => {
    let renders = 0;
    const { result } = renderHook(() => {
      renders++;
      return useWorkflowWebSocket('123', { WebSocket: mock.WebSocket });
    });
    await open(result);
    const before = renders;
    const start = createWorkflowStartMessage({ workflowId: '123', executionId: 'e', executionOrder: ['a', 'b', 'c'] });
    act(() => {
      mock.send(start);
      for (const nodeId of ['a', 'b', 'c'])
        mock.send(createNodeStatusMessage({ workflowId: '123', executionId: 'e', nodeId, status: 'running' }));
    });
    await waitFor(() => expect(result.current.nodeStatuses.c?.status).toBe('running'));
    expect(renders - before).toBe(1);
  });
});

describe('bad input', () => {
  it.each([
    ['malformed JSON', '{"type": "node_status",', 'invalid_json'],
    ['unknown type', JSON.stringify({ ...specMessages.log, type: 'node_exploded' }), 'unknown_type'],
    ['missing field', JSON.stringify({ ...specMessages.progress, data: { workflow_id: '123', execution_id: 'e' } }), 'invalid_field'],
    [
      'mistyped field',
      JSON.stringify({ ...specMessages.node_status_running, data: { ...specMessages.node_status_running.data, status: 42 } }),
      'invalid_field',
    ],
  ])('%s is reported through onError; state unchanged; nothing thrown', async (_, text, code) => {
    const onError = vi.fn();
    const onMessage = vi.fn();
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, onError, onMessage }));
    await open(result);
    act(() => mock.send(specText('workflow_start')));
    await waitFor(() => expect(result.current.executionId).toBe('uuid-string'));
    const before = result.current.nodeStatuses;
    act(() => mock.send(text));
    await waitFor(() => expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code })));
    expect(onMessage).toHaveBeenCalledTimes(1);
    expect(result.current.nodeStatuses).toBe(before);
    expect(result.current.isConnected).toBe(true);
    expect(result.current.client.store.getState().problems).toEqual([expect.objectContaining({ code })]);
  });
});

describe('callbacks and console', () => {
  it('onStateChange follows the connection from the hook', async () => {
    const onStateChange = vi.fn();
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, onStateChange }));
    await open(result);
    expect(onStateChange.mock.calls.map(([s]) => s.status)).toEqual(['connecting', 'open']);
    act(() => mock.closeClients(1011, 'restart'));
    await waitFor(() => expect(onStateChange).toHaveBeenCalledWith(expect.objectContaining({ status: 'reconnecting', closeCode: 1011 })));
  });

  it('the library writes nothing to the console: a whole run, bad input, a reconnect, unmount', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    try {
      const { result, unmount } = renderHook(() =>
        useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, reconnect: { initialDelayMs: 1 } }),
      );
      await open(result);
      const names = Object.keys(specMessages).filter((n) => !n.startsWith('workflow_')) as (keyof typeof specMessages)[];
      for (const name of ['workflow_start', ...names, 'workflow_complete'] as const) act(() => mock.send(specText(name)));
      act(() => mock.send('{"type":'));
      act(() => mock.send(JSON.stringify({ type: 'node_exploded' })));
      await waitFor(() => expect(result.current.progress).toBe(100));
      act(() => mock.closeClients());
      await waitFor(() => expect(mock.created).toHaveLength(2));
      await open(result);
      unmount();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('lifecycle', () => {
  it('StrictMode mounts one socket', async () => {
    const wrapper = ({ children }: { children: ReactNode }) => <StrictMode>{children}</StrictMode>;
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket }), { wrapper });
    await open(result);
    expect(mock.created).toHaveLength(1);
    expect(mock.live()).toBe(1);
  });

  it('unmount closes the socket and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const { result, unmount } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, heartbeatIntervalMs: 1000 }));
    await act(() => vi.advanceTimersByTimeAsync(20));
    expect(result.current.isConnected).toBe(true);
    act(() => mock.send(specText('edge_flow')));
    await act(() => vi.advanceTimersByTimeAsync(20));
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    unmount();
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(mock.live()).toBe(0);
    // mock-socket's own close delivery may still be queued; ours are all gone once it is.
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(mock.created).toHaveLength(1);
  });

  it('reconnects after the server closes, not after unmount', async () => {
    const { result, unmount } = renderHook(() =>
      useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, reconnect: { random: () => 0 } }),
    );
    await open(result);
    act(() => mock.closeClients(1011));
    await waitFor(() => expect(mock.created).toHaveLength(2));
    await open(result);
    unmount();
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.live()).toBe(0);
    expect(mock.created).toHaveLength(2);
  });

  it('no reconnect after a fatal close code; the state says why', async () => {
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, reconnect: { random: () => 0 } }));
    await open(result);
    act(() => mock.closeClients(4403, 'forbidden'));
    await waitFor(() => expect(result.current.connectionState).toMatchObject({ status: 'closed', why: 'fatal', closeCode: 4403 }));
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.created).toHaveLength(1);
  });

  it('close() and reconnect() from the hook', async () => {
    const { result } = renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket }));
    await open(result);
    act(() => result.current.close());
    await waitFor(() => expect(result.current.connectionState.why).toBe('client'));
    expect(mock.live()).toBe(0);
    act(() => result.current.reconnect());
    await open(result);
    expect(mock.created).toHaveLength(2);
  });

  it('callbacks are never stale', async () => {
    const seen: string[] = [];
    const { result, rerender } = renderHook(
      ({ tag }) => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, onMessage: (m) => seen.push(`${tag}:${m.type}`) }),
      {
        initialProps: { tag: 'first' },
      },
    );
    await open(result);
    rerender({ tag: 'second' });
    act(() => mock.send(specText('log')));
    await waitFor(() => expect(seen).toEqual(['second:log']));
  });

  it('an option dropped in a re-render is gone: no token after logout, no removed callback', async () => {
    const onMessage = vi.fn();
    const { result, rerender } = renderHook((options: object) => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, ...options }), {
      initialProps: { token: 'secret1', onMessage } as object,
    });
    await open(result);
    expect(mock.calls[0]!.protocols).toContain('flowpulse.bearer.secret1');
    rerender({});
    act(() => mock.send(specText('log')));
    await waitFor(() => expect(result.current.logs).toHaveLength(1));
    expect(onMessage).not.toHaveBeenCalled();
    act(() => result.current.reconnect());
    await waitFor(() => expect(mock.calls).toHaveLength(2));
    expect(JSON.stringify(mock.calls[1]!.protocols ?? null)).not.toContain('secret1');
  });

  describe('moving to another address', () => {
    let other: ReturnType<typeof mockWorkflowServer>;
    beforeEach(() => {
      other = mockWorkflowServer('123', 'ws://other:9000');
    });
    afterEach(() => other.stop());
    /** A hook on the default mock server, whose connection options each re-render replaces. */
    const renderOn = async (initial: object) => {
      const view = renderHook((options: object) => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, ...options }), {
        initialProps: initial,
      });
      await open(view.result);
      return view;
    };

    it('a URL change reconnects to the new URL', async () => {
      const { result, rerender } = await renderOn({ baseUrl: 'ws://localhost:8000' });
      rerender({ baseUrl: 'ws://other:9000' });
      await waitFor(() => expect(other.server.clients()).toHaveLength(1));
      await waitFor(() => expect(mock.server.clients()).toHaveLength(0));
      expect(result.current.isConnected).toBe(true);
    });

    it('switching from url to baseUrl moves the socket to the new address', async () => {
      const { rerender } = await renderOn({ url: 'ws://localhost:8000/api/ws/workflow/123' });
      rerender({ baseUrl: 'ws://other:9000' });
      await waitFor(() => expect(other.server.clients()).toHaveLength(1));
    });

    it('after close() from the app, a URL change does not reopen the socket', async () => {
      const { result, rerender } = await renderOn({ baseUrl: 'ws://localhost:8000' });
      act(() => result.current.close());
      rerender({ baseUrl: 'ws://other:9000' });
      await new Promise((r) => setTimeout(r, 50));
      expect(other.server.clients()).toHaveLength(0);
      expect(result.current.connectionState).toMatchObject({ status: 'closed', why: 'client' });
    });
  });

  it('a workflow id change switches socket and state', async () => {
    const other = mockWorkflowServer('456');
    try {
      const { result, rerender } = renderHook(({ id }) => useWorkflowWebSocket(id, { WebSocket: mock.WebSocket }), {
        initialProps: { id: '123' },
      });
      await open(result);
      act(() => mock.send(specText('workflow_start')));
      await waitFor(() => expect(result.current.executionId).toBe('uuid-string'));
      rerender({ id: '456' });
      expect(result.current.executionId).toBeNull();
      await waitFor(() => expect(other.server.clients()).toHaveLength(1));
      await waitFor(() => expect(mock.server.clients()).toHaveLength(0));
    } finally {
      await other.stop();
    }
  });

  it('enabled: false keeps the socket closed', async () => {
    renderHook(() => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, enabled: false }));
    await new Promise((r) => setTimeout(r, 30));
    expect(mock.created).toHaveLength(0);
  });

  it('enabled turned off reads as not started: closed, with nothing that a reconnect would reopen', async () => {
    const { result, rerender } = renderHook((p: { enabled: boolean }) => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, ...p }), {
      initialProps: { enabled: true },
    });
    await open(result);
    rerender({ enabled: false });
    await waitFor(() => expect(result.current.connectionState).toMatchObject({ status: 'closed', why: 'not-started' }));
    expect(mock.live()).toBe(0);
    rerender({ enabled: true });
    await open(result);
  });

  it('bounds and the stall time changed after mount apply from then on', async () => {
    const { result, rerender } = renderHook(
      (p: { stalledAfterMs: number; maxLogs: number }) => useWorkflowWebSocket('123', { WebSocket: mock.WebSocket, batch: 'sync', ...p }),
      { initialProps: { stalledAfterMs: 60_000, maxLogs: 1000 } },
    );
    await open(result);
    rerender({ stalledAfterMs: 100, maxLogs: 2 });
    act(() => {
      mock.send(createWorkflowStartMessage({ workflowId: '123', executionId: 'e', executionOrder: ['a'] }));
      mock.send(createNodeStatusMessage({ workflowId: '123', executionId: 'e', nodeId: 'a', status: 'running' }));
      for (const message of ['one', 'two', 'three']) mock.send(createLogMessage({ workflowId: '123', executionId: 'e', level: 'info', message }));
    });
    expect(result.current.logs.map((l) => l.message)).toEqual(['two', 'three']);
    await waitFor(() => expect(result.current.stalledNodeIds).toEqual(['a']));
    rerender({ stalledAfterMs: 60_000, maxLogs: 2 });
    await waitFor(() => expect(result.current.stalledNodeIds).toEqual([]));
  });
});

describe('WorkflowProvider', () => {
  it('shares one socket and one store; one node change re-renders only its subscriber', async () => {
    const renders: Record<string, number> = {};
    function Node({ id }: { id: string }) {
      const count = useRef(0);
      count.current++;
      renders[id] = count.current;
      const { status } = useNodeStatus(id);
      return <span data-testid={id}>{status}</span>;
    }
    function Progress() {
      const progress = useWorkflowSelector((s) => s.progress);
      const { isConnected, executionId } = useWorkflowWebSocket();
      return <span data-testid="progress">{isConnected ? `${progress}% ${executionId ?? ''}`.trim() : 'offline'}</span>;
    }
    render(
      <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket}>
        <Progress />
        <Node id="node1" />
        <Node id="node2" />
      </WorkflowProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('progress').textContent).toBe('0%'));
    expect(mock.created).toHaveLength(1);
    act(() => mock.send(specText('workflow_start')));
    await waitFor(() => expect(screen.getByTestId('progress').textContent).toBe('0% uuid-string'));
    expect(screen.getByTestId('node1').textContent).toBe('pending');
    const before = { ...renders };
    act(() => mock.send(specText('node_status_running')));
    await waitFor(() => expect(screen.getByTestId('node1').textContent).toBe('running'));
    expect(renders.node1).toBe(before.node1! + 1);
    expect(renders.node2).toBe(before.node2);
  });

  it('a nested hook for another workflow gets its own socket', async () => {
    const other = mockWorkflowServer('456');
    try {
      function Other() {
        const { isConnected } = useWorkflowWebSocket('456', { WebSocket: other.WebSocket });
        return <span data-testid="other">{String(isConnected)}</span>;
      }
      render(
        <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket}>
          <Other />
        </WorkflowProvider>,
      );
      await waitFor(() => expect(screen.getByTestId('other').textContent).toBe('true'));
      expect(mock.created).toHaveLength(1);
      expect(other.created).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  it("a hook sharing the provider's socket gets its own callbacks next to the provider's, until it unmounts", async () => {
    const provider = { onError: vi.fn(), onMessage: vi.fn() };
    const hook = { onError: vi.fn(), onMessage: vi.fn(), onStateChange: vi.fn() };
    function Watcher() {
      const { isConnected } = useWorkflowWebSocket('123', hook);
      return <span data-testid="watcher">{String(isConnected)}</span>;
    }
    const view = render(
      <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket} {...provider}>
        <Watcher />
      </WorkflowProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('watcher').textContent).toBe('true'));
    expect(mock.created).toHaveLength(1);
    expect(hook.onStateChange).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'open' }));
    act(() => mock.send(specText('log')));
    act(() => mock.send('{"type":'));
    await waitFor(() => expect(hook.onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'invalid_json' })));
    expect(provider.onError).toHaveBeenCalledTimes(1);
    expect(hook.onMessage).toHaveBeenCalledWith(expect.objectContaining({ type: 'log' }));
    expect(provider.onMessage).toHaveBeenCalledTimes(1);

    const disabled = { onError: vi.fn() };
    function Disabled() {
      useWorkflowWebSocket('123', { ...disabled, enabled: false });
      return null;
    }
    view.rerender(
      <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket} {...provider}>
        <Disabled />
      </WorkflowProvider>,
    );
    act(() => mock.send('not json'));
    await waitFor(() => expect(provider.onError).toHaveBeenCalledTimes(2));
    expect(hook.onError).toHaveBeenCalledTimes(1);
    expect(disabled.onError).not.toHaveBeenCalled();
  });

  it('a useWorkflowSelector subscriber stays still when something else changes', async () => {
    let renders = 0;
    function Progress() {
      renders++;
      return <span data-testid="progress">{useWorkflowSelector((s) => s.progress)}</span>;
    }
    render(
      <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket} batch="sync">
        <Progress />
      </WorkflowProvider>,
    );
    act(() => mock.send(specText('workflow_start')));
    await waitFor(() => expect(renders).toBeGreaterThan(0));
    const before = renders;
    act(() => mock.send(specText('node_status_running')));
    act(() => mock.send(specText('log')));
    expect(renders).toBe(before);
    act(() => mock.send(specText('progress')));
    await waitFor(() => expect(screen.getByTestId('progress').textContent).toBe('40'));
    expect(renders).toBe(before + 1);
  });

  it('a node called "constructor" is a pending node like any other, not an Object property', () => {
    const seen: unknown[] = [];
    const Probe = () => (seen.push(useNodeStatus('constructor')), null);
    render(
      <WorkflowProvider workflowId="123" WebSocket={mock.WebSocket} enabled={false}>
        <Probe />
      </WorkflowProvider>,
    );
    expect(seen.at(-1)).toEqual({ status: 'pending' });
  });

  it('selector hooks outside a provider explain the mistake', () => {
    expect(() => renderHook(() => useNodeStatus('a'))).toThrow(/inside <WorkflowProvider>/);
  });
});
