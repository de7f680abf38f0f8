import type { ConnectionState } from '../core/state';

/**
 * What a connection state means for the person watching, one word each:
 * `stalled` is a socket that went silent (heartbeat timeout) and is being
 * reconnected, `error` a socket that failed or was refused, `disconnected` one
 * that was closed (a silent socket the client gave up on included),
 * `unauthenticated` and `forbidden` the server's sign-in answers.
 *
 * @example
 * const health: ConnectionHealth = connectionHealth(state.connection); // 'stalled'
 */
export type ConnectionHealth =
  'connected' | 'connecting' | 'reconnecting' | 'stalled' | 'offline' | 'disconnected' | 'error' | 'unauthenticated' | 'forbidden';

/**
 * An auth refusal: not signed in (4401), or signed in but not allowed (4403, 1008).
 *
 * @example
 * const problem: AuthProblem | null = authProblem(state.connection);
 */
export type AuthProblem = 'unauthenticated' | 'forbidden';

// 1008 "policy violation" is what servers without custom codes send for a refused token.
const AUTH_CODES: Readonly<Record<number, AuthProblem>> = { 4401: 'unauthenticated', 4403: 'forbidden', 1008: 'forbidden' };

/**
 * The sign-in problem behind a closed connection, or `null`. Only a fatal close
 * (the client will not retry) counts: a 4401 seen while reconnecting is not final.
 *
 * @example
 * authProblem({ ...state.connection, status: 'closed', why: 'fatal', closeCode: 4401 }); // 'unauthenticated'
 */
export function authProblem(c: ConnectionState): AuthProblem | null {
  if (c.status !== 'closed' || c.why !== 'fatal' || c.closeCode === null) return null;
  return AUTH_CODES[c.closeCode] ?? null;
}

/**
 * Classifies a connection state; see {@link ConnectionHealth}.
 *
 * @example
 * connectionHealth({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout', closeCode: null, closeReason: null, nextRetryAt: null }); // 'stalled'
 */
export function connectionHealth(c: ConnectionState): ConnectionHealth {
  if (c.status === 'open') return 'connected';
  if (c.status === 'connecting') return 'connecting';
  // Stalled is a wait: a silent socket closed for good is disconnected.
  if (c.why === 'heartbeat-timeout') return c.status === 'closed' ? 'disconnected' : 'stalled';
  if (c.why === 'offline') return 'offline';
  if (c.why === 'error') return 'error';
  if (c.status === 'reconnecting') return 'reconnecting';
  if (c.why === 'fatal') return authProblem(c) ?? 'error';
  if (c.why === 'max-attempts') return 'error';
  return 'disconnected';
}

/**
 * The short words for an auth problem, as the canvas shows them.
 *
 * @example
 * AUTH_TEXT.forbidden; // 'Not allowed to watch this workflow'
 */
export const AUTH_TEXT: Readonly<Record<AuthProblem, string>> = {
  unauthenticated: 'Not signed in',
  forbidden: 'Not allowed to watch this workflow',
};

const WHY: Record<NonNullable<ConnectionState['why']>, string> = {
  'not-started': 'not started',
  client: 'closed',
  server: 'closed by the server',
  fatal: 'refused by the server',
  'max-attempts': 'gave up reconnecting',
  'heartbeat-timeout': 'the server stopped answering',
  offline: 'offline',
  error: 'connection error',
};

function describe(c: ConnectionState, withAttempt: boolean): string {
  const code = c.closeCode === null ? '' : ` (${c.closeCode}${c.closeReason ? ` ${c.closeReason}` : ''})`;
  const attempt = withAttempt ? ` (attempt ${Math.max(1, c.attempt)})` : '';
  const retrying = c.status === 'reconnecting' ? ` — reconnecting${attempt}…` : '';
  const health = connectionHealth(c);
  switch (health) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Reconnecting${attempt}…${c.why ? ` — ${WHY[c.why]}` : ''}`;
    case 'stalled':
      return `Stalled: the server stopped answering${retrying}`;
    case 'offline':
      return c.status === 'reconnecting' ? 'Offline: reconnecting when the network is back' : 'Offline';
    case 'unauthenticated':
    case 'forbidden':
      return `${AUTH_TEXT[health]}${code}`;
    case 'error':
      if (c.why === 'fatal') return `Connection refused by the server${code}`;
      if (c.why === 'max-attempts') return `Disconnected: gave up reconnecting${code}`;
      return `Connection error${retrying}`;
    case 'disconnected':
      return `Disconnected${c.why ? `: ${WHY[c.why]}` : ''}${code}`;
  }
}

/**
 * The words for a connection state, leading with what kind of trouble it is:
 * `Connected`, `Reconnecting (attempt 3)… — closed by the server`,
 * `Stalled: the server stopped answering — reconnecting (attempt 2)…`,
 * `Disconnected: the server stopped answering` (a silent socket closed for
 * good), `Not signed in (4401 unauthorized)`.
 *
 * @example
 * connectionText({ status: 'open', attempt: 0, why: null, closeCode: null, closeReason: null, nextRetryAt: null }); // 'Connected'
 */
export function connectionText(c: ConnectionState): string {
  return describe(c, true);
}

/**
 * {@link connectionText} without the attempt number: what `ConnectionIndicator`
 * announces, so a retry loop is spoken once, not at every attempt.
 *
 * @example
 * connectionSummary({ status: 'reconnecting', attempt: 4, why: 'server', closeCode: 1006, closeReason: null, nextRetryAt: null });
 * // 'Reconnecting… — closed by the server'
 */
export function connectionSummary(c: ConnectionState): string {
  return describe(c, false);
}

/**
 * The attempt under way while reconnecting (`attempt 3`), or `null`: the part
 * of {@link connectionText} that {@link connectionSummary} leaves out.
 *
 * @example
 * connectionAttempt({ status: 'reconnecting', attempt: 3, why: 'server', closeCode: null, closeReason: null, nextRetryAt: null }); // 'attempt 3'
 */
export function connectionAttempt(c: ConnectionState): string | null {
  if (c.status !== 'reconnecting') return null;
  // Offline waits for the network, not for an attempt: its words never had a number.
  if (connectionHealth(c) === 'offline') return null;
  return `attempt ${Math.max(1, c.attempt)}`;
}
