/** Lifecycle edge cases a model-based fuzz of the hooks found (test/react/hooks-model.test.tsx). */
import { act, render, renderHook } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { useWorkflowWebSocket, WorkflowProvider } from 'flowpulse';
import { createWorkflowStartMessage } from 'flowpulse/protocol';
import { FakeSocket } from '../core/fake-socket';

const flush = () => act(async () => { for (let k = 0; k < 5; k++) await Promise.resolve(); });
afterEach(() => { vi.useRealTimers(); FakeSocket.all = []; });

it('1a. onStateChange is not called after the hook unmounts', async () => {
  const onStateChange = vi.fn();
  const { unmount } = renderHook(() => useWorkflowWebSocket('A', { WebSocket: FakeSocket as never, onStateChange }));
  await flush();
  act(() => FakeSocket.all[0]!.fireOpen());
  unmount();
  onStateChange.mockClear();
  await flush(); // the client's release runs a microtask later and closes the socket
  expect(onStateChange).not.toHaveBeenCalled();
});

it("1b. after switching workflow, the old workflow's close does not reach the (removed / stale) callback", async () => {
  const seen: string[] = [];
  const { rerender } = render(
    <WorkflowProvider workflowId="B" WebSocket={FakeSocket as never} onStateChange={(s) => seen.push(`B:${s.status}`)} />,
  );
  await flush();
  act(() => FakeSocket.all[0]!.fireOpen());
  seen.length = 0;
  rerender(<WorkflowProvider workflowId="A" WebSocket={FakeSocket as never} onStateChange={(s) => seen.push(`A:${s.status}`)} />);
  await flush();
 
  expect(seen).toEqual(['A:connecting']);
});

it('2. no timer (animation frame) left after unmount when a flush happened while a frame was pending', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'requestAnimationFrame', 'cancelAnimationFrame'] });
  const start = JSON.stringify(createWorkflowStartMessage({ workflowId: 'A', executionId: 'e1', executionOrder: ['a'] }));
  const ui = (baseUrl: string) => <WorkflowProvider workflowId="A" WebSocket={FakeSocket as never} baseUrl={baseUrl} />;
  const v = render(ui('ws://x'));
  await flush();
  act(() => FakeSocket.all[0]!.fireOpen());
  act(() => FakeSocket.all[0]!.fireMessage(start)); // batch 'frame': a frame is requested
  v.rerender(ui('ws://y')); // reconnect: query() calls store.flush() but the frame is not cancelled
  await flush();
  act(() => FakeSocket.all[1]!.fireOpen());
  act(() => FakeSocket.all[1]!.fireMessage(start)); // a 2nd frame; the 1st one's cancel is overwritten
  v.unmount();
  await flush();
  expect(vi.getTimerCount()).toBe(0);
});
