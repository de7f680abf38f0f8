import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { useWorkflowControl } from 'flowpulse/control';
import { createNodeStatusMessage, createWorkflowStartMessage } from 'flowpulse/protocol';

function setup(fetchImpl: typeof fetch, token?: string | (() => Promise<string>)) {
  const onError = vi.fn();
  const client = createWorkflowClient({ workflowId: 'wf 1', baseUrl: 'wss://api.example.com', batch: 'sync', onError });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <WorkflowProvider workflowId="wf 1" client={client} enabled={false}>
      {children}
    </WorkflowProvider>
  );
  const { result } = renderHook(() => useWorkflowControl({ fetch: fetchImpl, token }), { wrapper });
  return { client, result, onError };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('useWorkflowControl', () => {
  it('execute posts initial_inputs to the REST API derived from the socket URL, with the token', async () => {
    const fetchMock = vi.fn(async () => json(202, { execution_id: 'e1' }));
    const { result } = setup(fetchMock as unknown as typeof fetch, async () => 'tok');
    let answer: unknown;
    await act(async () => {
      answer = await result.current.execute({ user: 'ada' });
    });
    expect(answer).toEqual({ ok: true, status: 202, data: { execution_id: 'e1' } });
    expect(fetchMock).toHaveBeenCalledWith('https://api.example.com/api/workflows/wf%201/execute', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer tok' },
      body: '{"initial_inputs":{"user":"ada"}}',
    });
  });

  it('keeps the path a proxy serves flowpulse under, and never asks the socket query for it', async () => {
    const fetchMock = vi.fn(async () => json(202, { execution_id: 'e1' }));
    const query = vi.fn(() => ({ ticket: 'single-use' }));
    const client = createWorkflowClient({ workflowId: 'w', baseUrl: 'wss://h.example/flowpulse', batch: 'sync', query });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <WorkflowProvider workflowId="w" client={client} enabled={false}>
        {children}
      </WorkflowProvider>
    );
    const { result } = renderHook(() => useWorkflowControl({ fetch: fetchMock as unknown as typeof fetch }), { wrapper });
    await act(async () => {
      await result.current.execute();
      await result.current.execute();
    });
    expect(fetchMock.mock.calls.map((c) => (c as unknown[])[0])).toEqual([
      'https://h.example/flowpulse/api/workflows/w/execute',
      'https://h.example/flowpulse/api/workflows/w/execute',
    ]);
    expect(query).not.toHaveBeenCalled();
  });

  it('an error answer with no body and no status text still says what happened', async () => {
    const { result } = setup((async () => new Response('<html>bad gateway</html>', { status: 502 })) as unknown as typeof fetch);
    let answer: unknown;
    await act(async () => {
      answer = await result.current.execute();
    });
    expect(answer).toMatchObject({ ok: false, status: 502, error: 'HTTP 502' });
  });

  it("without a token of its own it sends the socket's token", async () => {
    const fetchMock = vi.fn(async () => json(202, { execution_id: 'e1' }));
    const client = createWorkflowClient({ workflowId: 'w', baseUrl: 'ws://h:1', token: async () => 'socket-token' });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <WorkflowProvider workflowId="w" client={client} enabled={false}>
        {children}
      </WorkflowProvider>
    );
    const { result } = renderHook(() => useWorkflowControl({ fetch: fetchMock as unknown as typeof fetch }), { wrapper });
    await act(() => result.current.execute());
    expect(fetchMock).toHaveBeenCalledWith(
      'http://h:1/api/workflows/w/execute',
      expect.objectContaining({ headers: expect.objectContaining({ authorization: 'Bearer socket-token' }) }),
    );
  });

  it('pause, resume and cancel target the current execution', async () => {
    const fetchMock = vi.fn(async () => json(200, { state: 'paused' }));
    const { result, client } = setup(fetchMock as unknown as typeof fetch);
    client.store.enqueue(createWorkflowStartMessage({ workflowId: 'wf 1', executionId: 'e9', executionOrder: ['a'] }));
    for (const action of ['pause', 'resume', 'cancel'] as const) await act(() => result.current[action]());
    expect(fetchMock.mock.calls.map((c) => (c as unknown as [string])[0])).toEqual([
      'https://api.example.com/api/workflows/wf%201/executions/e9/pause',
      'https://api.example.com/api/workflows/wf%201/executions/e9/resume',
      'https://api.example.com/api/workflows/wf%201/executions/e9/cancel',
    ]);
  });

  it('pause right after a run started targets that run, even before the frame that shows it', async () => {
    const fetchMock = vi.fn(async () => json(200, { state: 'paused' }));
    // A batch that has not flushed yet: the start is received, not yet applied.
    const client = createWorkflowClient({ workflowId: 'w', baseUrl: 'wss://api.example.com', batch: () => undefined });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <WorkflowProvider workflowId="w" client={client} enabled={false}>
        {children}
      </WorkflowProvider>
    );
    const { result } = renderHook(() => useWorkflowControl({ fetch: fetchMock as unknown as typeof fetch }), { wrapper });
    client.store.enqueue(createWorkflowStartMessage({ workflowId: 'w', executionId: 'e7', executionOrder: ['a'] }));
    await act(() => result.current.pause());
    expect(fetchMock.mock.calls.map((c) => (c as unknown as [string])[0])).toEqual([
      'https://api.example.com/api/workflows/w/executions/e7/pause',
    ]);
  });

  it('with no execution there is nothing to control, and no request', async () => {
    const fetchMock = vi.fn();
    const { result } = setup(fetchMock as unknown as typeof fetch);
    await expect(result.current.pause()).resolves.toMatchObject({ ok: false, error: 'no execution to control' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('a refusal comes back and reaches onError; a network failure never throws', async () => {
    const { result, onError } = setup((async () => json(409, { error: 'execution is not running' })) as unknown as typeof fetch);
    const r = await result.current.execute();
    expect(r).toMatchObject({ ok: false, status: 409, error: 'execution is not running' });
    expect(onError).toHaveBeenCalledWith({ code: 'http_error', message: 'execution is not running' });
    const down = setup((async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    await expect(down.result.current.execute()).resolves.toMatchObject({ ok: false, status: 0, error: 'Failed to fetch' });
    // A rejection with no message still says something ("Run failed: " alone says nothing).
    const silent = setup((async () => {
      throw new Error('');
    }) as unknown as typeof fetch);
    await expect(silent.result.current.execute()).resolves.toMatchObject({ ok: false, status: 0, error: 'network error' });
  });

  it('fetchResult fetches a result_ref, or returns the streamed result', async () => {
    const fetchMock = vi.fn(async () => json(200, { rows: [1, 2, 3] }));
    const { result, client } = setup(fetchMock as unknown as typeof fetch);
    client.store.enqueue(createWorkflowStartMessage({ workflowId: 'wf 1', executionId: 'e1', executionOrder: ['a', 'b'] }));
    const big = createNodeStatusMessage({ workflowId: 'wf 1', executionId: 'e1', nodeId: 'a', status: 'completed' });
    big.data.result_ref = '/api/workflows/wf%201/executions/e1/nodes/a/result';
    client.store.enqueue(big);
    client.store.enqueue(createNodeStatusMessage({ workflowId: 'wf 1', executionId: 'e1', nodeId: 'b', status: 'completed', result: 7 }));
    await expect(result.current.fetchResult('a')).resolves.toEqual({ ok: true, status: 200, data: { rows: [1, 2, 3] } });
    expect(fetchMock).toHaveBeenCalledWith(
      'https://api.example.com/api/workflows/wf%201/executions/e1/nodes/a/result',
      expect.objectContaining({ method: 'GET' }),
    );
    await expect(result.current.fetchResult('b')).resolves.toEqual({ ok: true, status: 200, data: 7 });
    await expect(result.current.fetchResult('zzz')).resolves.toMatchObject({ ok: false, status: 404 });
  });
});
