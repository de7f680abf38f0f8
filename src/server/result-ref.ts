/**
 * The HTTP path a node's full result is served at, when it was too large
 * to stream: what `node_status.data.result_ref` carries. Every segment is
 * URL-encoded, so any id is safe in it.
 *
 * @example
 * nodeResultPath('wf 1', 'e1', 'load'); // '/api/workflows/wf%201/executions/e1/nodes/load/result'
 */
export function nodeResultPath(workflowId: string, executionId: string, nodeId: string): string {
  const e = encodeURIComponent;
  return `/api/workflows/${e(workflowId)}/executions/${e(executionId)}/nodes/${e(nodeId)}/result`;
}

/**
 * Whether a request accepts a gzip-encoded response (`Accept-Encoding: gzip`,
 * not `gzip;q=0`).
 *
 * @example
 * acceptsGzip('br, gzip;q=0.8'); // true
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
