/**
 * The answer of a control call. Never thrown: failures come back with `ok: false`.
 * Checking `ok` narrows it: `data` is there on success, `error` on failure.
 *
 * @example
 * const r = await execute();
 * if (r.ok) show(r.data.execution_id);
 * else alert(r.error);
 */
export type ControlResult<T = unknown> =
  | {
      ok: true;
      /** HTTP status (2xx). */
      status: number;
      /** The answer's JSON (its text when it is not JSON). */
      data: T;
      error?: undefined;
    }
  | {
      ok: false;
      /** HTTP status; 0 when the request never got an answer. */
      status: number;
      /** The server's JSON answer, if any: `{ error, ... }` (a 503 says `limit`, `needed` and `scope`). */
      data?: unknown;
      /** The server's `error`, or why the request failed. */
      error: string;
    };

/** Options of {@link createWorkflowControl}. */
export interface WorkflowControlOptions {
  workflowId: string;
  /** `http(s)://host:port` of the REST API. */
  apiBaseUrl: string;
  /** Sent as `Authorization: Bearer <token>`; a function is asked on every call. */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>) | undefined;
  /** @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
}

/** Run-control verbs of the REST API. */
export type ControlAction = 'pause' | 'resume' | 'cancel';

/**
 * The REST API base for a socket URL: same host, `ws` → `http`, `wss` → `https`,
 * and the path before `/api/ws/workflow/` kept (a server behind a proxy at a sub-path).
 *
 * @example
 * apiBaseFromSocketUrl('wss://example.com/api/ws/workflow/1'); // 'https://example.com'
 * apiBaseFromSocketUrl('wss://example.com/flowpulse/api/ws/workflow/1'); // 'https://example.com/flowpulse'
 */
export function apiBaseFromSocketUrl(url: string): string {
  const m = /^ws(s?):\/\/([^?#]+)/i.exec(url);
  if (!m) return '';
  const at = m[2]!.indexOf('/api/ws/workflow/');
  return `http${m[1]}://${at >= 0 ? m[2]!.slice(0, at) : m[2]!.split('/')[0]}`;
}

/**
 * Calls the flowpulse REST API for one workflow: start a run, pause, resume or
 * cancel it, fetch a large result. Framework-free; errors are returned, not thrown.
 *
 * @example
 * const control = createWorkflowControl({ workflowId: '123', apiBaseUrl: 'http://localhost:8000' });
 * const run = await control.execute({ user: 'ada' });
 * if (run.ok) await control.act(run.data.execution_id, 'pause');
 */
export function createWorkflowControl(o: WorkflowControlOptions) {
  const base = `${o.apiBaseUrl.replace(/\/$/, '')}/api/workflows/${encodeURIComponent(o.workflowId)}`;
  const request = async <T>(method: string, path: string, body?: unknown): Promise<ControlResult<T>> => {
    try {
      const token = typeof o.token === 'function' ? await o.token() : o.token;
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await (o.fetch ?? fetch)(path.startsWith('/api/') ? o.apiBaseUrl.replace(/\/$/, '') + path : base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        data = text;
      }
      // statusText is '' over HTTP/2 and from many proxies: an empty reason is no reason.
      const said = (data as { error?: unknown } | undefined)?.error;
      if (res.ok) return { ok: true, status: res.status, data: data as T };
      const error = typeof said === 'string' && said ? said : res.statusText || `HTTP ${res.status}`;
      return { ok: false, status: res.status, data, error };
    } catch (e) {
      // A fetch that rejects without a message still says why the call failed.
      return { ok: false, status: 0, error: String((e as Error)?.message ?? e) || 'network error' };
    }
  };
  return {
    /** `POST /api/workflows/{id}/execute` → `{ execution_id }`. */
    execute: (initialInputs: Record<string, unknown> = {}) =>
      request<{ execution_id: string }>('POST', '/execute', { initial_inputs: initialInputs }),
    /** `POST /api/workflows/{id}/executions/{executionId}/{action}`. */
    act: (executionId: string, action: ControlAction) => request('POST', `/executions/${encodeURIComponent(executionId)}/${action}`),
    /** `GET` of a `result_ref` path (absolute `/api/...` or relative to the workflow). */
    get: <T = unknown>(path: string) => request<T>('GET', path),
  };
}

/** What {@link createWorkflowControl} returns. */
export type WorkflowControl = ReturnType<typeof createWorkflowControl>;
