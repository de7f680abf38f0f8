import { useEffect, useMemo, useRef } from 'react';
import { createWorkflowClient, type WorkflowClient, type WorkflowClientOptions } from '../core/client';

/** Options of a hook-owned client: everything but the id, which is the hook's argument. */
export type WorkflowHookOptions = Omit<WorkflowClientOptions, 'workflowId'>;

/**
 * Creates and runs a client for `workflowId` for as long as the component is
 * mounted: one per workflow id. Options (callbacks, URL, token, bounds,
 * `batch`, `stalledAfterMs`) are applied on every render, so nothing is
 * stale. Used by `WorkflowProvider` and by
 * `useWorkflowWebSocket` outside a provider.
 *
 * @example
 * const client = useWorkflowClient('123', { baseUrl: 'ws://localhost:8000' });
 */
export function useWorkflowClient(workflowId: string, options: WorkflowHookOptions = {}, enabled = true): WorkflowClient {
  // Creating a client has no side effects (no socket, no timer), so a discarded render is harmless.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const client = useMemo(() => createWorkflowClient({ ...options, workflowId }), [workflowId]);
  const given = useRef<string[]>([]);
  useEffect(() => {
    // An option dropped since the last render (a token after logout, a callback) is cleared, not kept.
    const dropped = Object.fromEntries(given.current.map((key) => [key, undefined]));
    given.current = Object.keys(options);
    client.setOptions({ ...dropped, ...options });
  });
  useEffect(() => (enabled ? client.mount() : undefined), [client, enabled]);
  // The release closes the socket a microtask later: an unmounted (or switched-away) owner's callbacks must not hear it.
  useEffect(
    () => () => {
      given.current = [];
      client.setOptions({ onMessage: undefined, onError: undefined, onStateChange: undefined });
    },
    [client],
  );
  return client;
}
