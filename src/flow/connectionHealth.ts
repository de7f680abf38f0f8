import type { ConnectionState } from '../core/state';
import { catalogOf, DEFAULT_MESSAGES, type CanvasMessages } from './canvasMessages';

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
 * The short words for an auth problem, as the canvas shows them in English; a
 * translated canvas takes them from its messages (`notSignedIn`, `notAllowed`).
 *
 * @example
 * AUTH_TEXT.forbidden; // 'Not allowed to watch this workflow'
 */
export const AUTH_TEXT: Readonly<Record<AuthProblem, string>> = {
  unauthenticated: DEFAULT_MESSAGES.notSignedIn,
  forbidden: DEFAULT_MESSAGES.notAllowed,
};

/**
 * The words for an auth problem in `messages`.
 *
 * @example
 * authText('forbidden', DEFAULT_MESSAGES); // 'Not allowed to watch this workflow'
 */
export function authText(problem: AuthProblem, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  return problem === 'unauthenticated' ? messages.notSignedIn : messages.notAllowed;
}

/** Why a socket closed, in the words of `m`. */
function whyText(why: NonNullable<ConnectionState['why']>, m: CanvasMessages): string {
  switch (why) {
    case 'not-started':
      return m.closedNotStarted;
    case 'client':
      return m.closedByClient;
    case 'server':
      return m.closedByServer;
    case 'fatal':
      return m.closedFatal;
    case 'max-attempts':
      return m.closedMaxAttempts;
    case 'heartbeat-timeout':
      return m.closedHeartbeatTimeout;
    case 'offline':
      return m.closedOffline;
    case 'error':
      return m.closedError;
  }
}

function describe(c: ConnectionState, withAttempt: boolean, m: CanvasMessages): string {
  // The server's close code and reason are its own words: shown as they are, after the text.
  const code = c.closeCode === null ? '' : ` (${c.closeCode}${c.closeReason ? ` ${c.closeReason}` : ''})`;
  const attempt = withAttempt ? Math.max(1, c.attempt) : null;
  const reconnecting = c.status === 'reconnecting';
  const why = c.why ? whyText(c.why, m) : null;
  const health = connectionHealth(c);
  switch (health) {
    case 'connected':
      return m.connectionConnected;
    case 'connecting':
      return m.connectionConnecting;
    case 'reconnecting':
      return m.connectionReconnecting(attempt, why);
    case 'stalled':
      return m.connectionStalled(reconnecting, attempt);
    case 'offline':
      return m.connectionOffline(reconnecting);
    case 'unauthenticated':
    case 'forbidden':
      return `${authText(health, m)}${code}`;
    case 'error':
      if (c.why === 'fatal') return `${m.connectionRefused}${code}`;
      if (c.why === 'max-attempts') return `${m.connectionGaveUp}${code}`;
      return m.connectionError(reconnecting, attempt);
    case 'disconnected':
      return `${m.connectionDisconnected(why)}${code}`;
  }
}

/**
 * The words for a connection state, leading with what kind of trouble it is:
 * `Connected`, `Reconnecting (attempt 3)… — closed by the server`,
 * `Stalled: the server stopped answering — reconnecting (attempt 2)…`,
 * `Disconnected: the server stopped answering` (a silent socket closed for
 * good), `Not signed in (4401 unauthorized)`. In the words of `messages`,
 * English by default.
 *
 * @example
 * connectionText({ status: 'open', attempt: 0, why: null, closeCode: null, closeReason: null, nextRetryAt: null }); // 'Connected'
 */
export function connectionText(c: ConnectionState, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  return describe(c, true, messages);
}

/**
 * {@link connectionText} without the attempt number: what `ConnectionIndicator`
 * announces, so a retry loop is spoken once, not at every attempt.
 *
 * @example
 * connectionSummary({ status: 'reconnecting', attempt: 4, why: 'server', closeCode: 1006, closeReason: null, nextRetryAt: null });
 * // 'Reconnecting… — closed by the server'
 */
export function connectionSummary(c: ConnectionState, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  return describe(c, false, messages);
}

/**
 * The attempt under way while reconnecting (`attempt 3`), or `null`: the part
 * of {@link connectionText} that {@link connectionSummary} leaves out.
 *
 * @example
 * connectionAttempt({ status: 'reconnecting', attempt: 3, why: 'server', closeCode: null, closeReason: null, nextRetryAt: null }); // 'attempt 3'
 */
export function connectionAttempt(c: ConnectionState, given: CanvasMessages = DEFAULT_MESSAGES): string | null {
  const messages = catalogOf(given);
  if (c.status !== 'reconnecting') return null;
  // Offline waits for the network, not for an attempt: its words never had a number.
  if (connectionHealth(c) === 'offline') return null;
  return messages.connectionAttempt(Math.max(1, c.attempt));
}
