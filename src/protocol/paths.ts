/**
 * The spec's WebSocket path for a workflow.
 *
 * @example
 * workflowSocketPath('123'); // '/api/ws/workflow/123'
 */
export function workflowSocketPath(workflowId: string): string {
  return `/api/ws/workflow/${encodeURIComponent(workflowId)}`;
}
