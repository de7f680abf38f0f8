import { useEffect, useMemo, useRef } from 'react';
import { useStoreSlice } from './useStoreSlice';
import type { WorkflowClient } from '../core/client';
import type { ConnectionState, EdgeFlow, LogEntry, NodeRunState, RunError, RunStatus, WorkflowState } from '../core/state';
import { useWorkflowClientContext } from './context';
import { useWorkflowClient, type WorkflowHookOptions } from './useWorkflowClient';

/** Options of {@link useWorkflowWebSocket}. */
export interface UseWorkflowWebSocketOptions extends WorkflowHookOptions {
  /** `false` keeps the socket closed (inside a provider: this hook's callbacks are not called). @default true */
  enabled?: boolean | undefined;
}

/** The seed hook's shape, plus what a real app needs (and the rest of {@link WorkflowState}). */
export interface UseWorkflowWebSocketResult extends WorkflowState {
  nodeStatuses: Record<string, NodeRunState>;
  edgeFlows: EdgeFlow[];
  /** Percent, 0..100. */
  progress: number;
  isConnected: boolean;
  connectionState: ConnectionState;
  executionId: string | null;
  runStatus: RunStatus;
  logs: LogEntry[];
  /** Errors the run reported (`error` messages). Malformed input goes to `onError`. */
  errors: RunError[];
  /** Drops the socket and connects again now. */
  reconnect: () => void;
  /** Closes the socket for good (until `reconnect()`). */
  close: () => void;
  /** Sends a text frame; false when not connected. */
  send: (data: string | object) => boolean;
  /** The client behind the hook, for advanced use. */
  client: WorkflowClient;
}

/**
 * Streams a workflow's execution: connects to `/api/ws/workflow/{workflowId}`,
 * keeps the socket alive (heartbeat, reconnect), and returns the run state.
 * Inside a `WorkflowProvider` for the same workflow it shares the provider's
 * socket and store: connection options then belong to the provider, and the
 * hook's `onMessage`, `onError` and `onStateChange` are called next to the provider's.
 *
 * @example
 * const { nodeStatuses, progress, isConnected, errors } = useWorkflowWebSocket('123', {
 *   baseUrl: 'ws://localhost:8000',
 *   onError: (e) => report(e.message),
 * });
 */
export function useWorkflowWebSocket(workflowId?: string, options: UseWorkflowWebSocketOptions = {}): UseWorkflowWebSocketResult {
  const { enabled = true, ...clientOptions } = options;
  const shared = useWorkflowClientContext();
  const useShared = shared !== null && (workflowId === undefined || workflowId === shared.workflowId);
  const id = workflowId ?? shared?.workflowId;
  if (id === undefined) throw new Error('useWorkflowWebSocket needs a workflowId outside <WorkflowProvider>');
  const own = useWorkflowClient(id, clientOptions, enabled && !useShared);
  const client = useShared ? shared : own;
  const callbacks = useRef(clientOptions);
  useEffect(() => {
    callbacks.current = clientOptions;
  });
  useEffect(() => {
    if (!useShared || !enabled) return;
    // Through the ref, so a new callback each render is used without re-registering.
    return shared.listen({
      onMessage: (m) => callbacks.current.onMessage?.(m),
      onError: (e) => callbacks.current.onError?.(e),
      onStateChange: (s) => callbacks.current.onStateChange?.(s),
    });
  }, [useShared, shared, enabled]);
  // The seed shape is most of the state, so the whole state is watched.
  const s = useStoreSlice(client.store, (state) => state);
  return useMemo(
    () => ({
      ...s,
      isConnected: s.connection.status === 'open',
      connectionState: s.connection,
      reconnect: client.reconnect,
      close: client.close,
      send: client.send,
      client,
    }),
    [s, client],
  );
}
