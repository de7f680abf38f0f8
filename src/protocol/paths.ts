/**
 * The spec's WebSocket path for a workflow.
 *
 * @example
 * workflowSocketPath('123'); // '/api/ws/workflow/123'
 */
export function workflowSocketPath(workflowId: string): string {
  return `/api/ws/workflow/${encodeURIComponent(workflowId)}`;
}

/**
 * The WebSocket subprotocol flowpulse peers speak. A client that sends a token
 * offers it together with `flowpulse.bearer.<token>` (browsers cannot set
 * headers on a WebSocket); the server echoes only `flowpulse`, never the token.
 * The client's `protocols` option replaces it (the bearer entry stays).
 *
 * @example
 * new WebSocket(url, [FLOWPULSE_PROTOCOL, `${FLOWPULSE_PROTOCOL}.bearer.${token}`]);
 */
export const FLOWPULSE_PROTOCOL = 'flowpulse';
