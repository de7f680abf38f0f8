/**
 * What a client puts in the socket URL's query.
 *
 * @example
 * parseSocketQuery('/api/ws/workflow/wf?execution_id=e1&last_seq=42&metrics=1');
 * // { executionId: 'e1', lastSeq: 42, metrics: true, ticket: null }
 */
export interface SocketQuery {
  /** The execution the client shows. */
  executionId: string | undefined;
  /** The last `seq` it applied of that execution; `undefined` when absent or not a non-negative integer. */
  lastSeq: number | undefined;
  /** `metrics=1` (or `true`): send it periodic `metrics` messages. */
  metrics: boolean;
  /** A single-use ticket from `POST /api/ws-ticket`; `null` when absent or empty. */
  ticket: string | null;
}

/**
 * Reads the resume position, the metrics opt-in and a ticket from a socket
 * request URL. Never throws; malformed values count as absent, and so does an
 * empty `ticket=` (a client's unset variable), so the socket's bearer token still applies.
 *
 * @example
 * const { executionId, lastSeq } = parseSocketQuery(req.url);
 */
export function parseSocketQuery(url: string | undefined): SocketQuery {
  const q = (url ?? '').indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : url!.slice(q + 1));
  const executionId = params.get('execution_id') || undefined;
  const seqText = params.get('last_seq');
  const lastSeq = seqText !== null && /^\d{1,15}$/.test(seqText) ? Number(seqText) : undefined;
  const metrics = params.get('metrics');
  return { executionId, lastSeq, metrics: metrics === '1' || metrics === 'true', ticket: params.get('ticket') || null };
}
