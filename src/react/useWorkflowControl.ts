import { useMemo } from 'react';
import {
  apiBaseFromSocketUrl,
  createWorkflowControl,
  type ControlAction,
  type ControlResult,
  type WorkflowControlOptions,
} from '../core/control';
import { useRequiredClient } from './context';
import type { OptionalFields } from '../core/internal';

const failed = (status: number, error: string): ControlResult<never> => ({ ok: false, status, error });

/** Options of {@link useWorkflowControl}. */
export type UseWorkflowControlOptions = OptionalFields<Omit<WorkflowControlOptions, 'workflowId'>>;

/**
 * Run control for the workflow of the nearest provider (its token too, unless one is given). Every call
 * resolves; HTTP and network failures also reach `onError` (nothing to control is only an `ok: false`).
 */
export interface WorkflowControls {
  /** Starts a run: `POST /api/workflows/{id}/execute`. */
  execute(initialInputs?: Record<string, unknown>): Promise<ControlResult<{ execution_id: string }>>;
  /** Pauses the current execution: running nodes finish, no new ones start. */
  pause(): Promise<ControlResult>;
  resume(): Promise<ControlResult>;
  /** Cancels the current execution: running nodes are aborted. */
  cancel(): Promise<ControlResult>;
  /** A node's full result, fetched over HTTP (gzip) when it was too large for the stream. */
  fetchResult(nodeId: string): Promise<ControlResult>;
}

/**
 * REST run control (run, pause, resume, cancel, large results) for the
 * workflow of the nearest `WorkflowProvider`. Kept apart from the socket hook
 * so apps that only watch do not ship it.
 *
 * @example
 * const { execute, pause, resume, cancel } = useWorkflowControl({ token: getToken });
 * <button onClick={() => execute({ user: 'ada' })}>Run</button>
 */
export function useWorkflowControl(options: UseWorkflowControlOptions = {}): WorkflowControls {
  const client = useRequiredClient('useWorkflowControl');
  const { apiBaseUrl, token, fetch } = options;
  return useMemo(() => {
    const http = () =>
      createWorkflowControl({
        workflowId: client.workflowId,
        // The address, not the URL: building the URL asks the socket's `query`, which may hand out a single-use ticket.
        apiBaseUrl: apiBaseUrl ?? apiBaseFromSocketUrl(client.connection.address),
        // Without a token of its own, REST uses the socket's: one sign-in for both.
        token: token ?? client.token,
        fetch,
      });
    const reported = <T>(result: ControlResult<T>) => {
      if (!result.ok) client.report({ code: 'http_error', message: result.error });
      return result;
    };
    // Messages still queued for the next frame are applied first: "Pause" right after a run started means that run.
    const state = () => {
      client.store.flush();
      return client.store.getState();
    };
    const act = (action: ControlAction) => {
      const id = state().executionId;
      return id ? http().act(id, action).then(reported) : Promise.resolve(failed(0, 'no execution to control'));
    };
    return {
      execute: (inputs) => http().execute(inputs).then(reported),
      pause: () => act('pause'),
      resume: () => act('resume'),
      cancel: () => act('cancel'),
      fetchResult(nodeId) {
        const nodes = state().nodeStatuses;
        const node = Object.hasOwn(nodes, nodeId) ? nodes[nodeId] : undefined;
        if (!node?.resultRef)
          return Promise.resolve(node ? { ok: true, status: 200, data: node.result } : failed(404, `no node ${nodeId}`));
        return http().get(node.resultRef).then(reported);
      },
    };
  }, [client, apiBaseUrl, token, fetch]);
}
