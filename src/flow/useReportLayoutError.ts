import { useEffect } from 'react';
import { useWorkflowClientContext } from '../react';

/** The clients each failure was reported to: two canvases of one client, or StrictMode's second effect, report it once. */
const reported = new WeakMap<Error, WeakSet<object>>();

/**
 * Reports a failed load of the layout code to the surrounding client
 * (`onError`, `problems`) as a `layout_error`, once per client: a deploy that
 * removed the chunk is the app's to hear of, like the client's own problems.
 */
export function useReportLayoutError(error: Error | null): void {
  const client = useWorkflowClientContext();
  useEffect(() => {
    if (!error || !client) return;
    const clients = reported.get(error) ?? new WeakSet<object>();
    reported.set(error, clients);
    if (clients.has(client)) return;
    clients.add(client);
    client.report({ code: 'layout_error', message: `The graph's layout code did not load: ${error.message}` });
  }, [client, error]);
}
