import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AccessControl } from './access';
import { catchUpFrames } from './catch-up';
import type { ConnectionManager } from './connection-manager';
import type { ExecutionRegistry } from './execution-registry';
import type { MetricsPublisher } from './metrics-publisher';
import type { ReplayStore } from './replay-store';
import { parseSocketQuery } from './socket-query';
import { FLOWPULSE_PROTOCOL } from '../protocol';
import { offeredProtocols } from './auth';
import { closeReason } from './json-safe';

/**
 * What the WebSocket endpoint works with; built by `createFlowpulseServer`.
 *
 * @example
 * httpServer.on('upgrade', (req, socket, head) => handleSocketUpgrade(context, req, socket, head));
 */
export interface SocketEndpointContext {
  wss: WebSocketServer;
  manager: ConnectionManager;
  registry: ExecutionRegistry;
  replay: ReplayStore;
  access: AccessControl;
  metrics: MetricsPublisher;
  isClosing(): boolean;
  onError?: ((error: unknown, req?: IncomingMessage) => void) | undefined;
}

/** How long a refused socket may take to answer its close frame before it is cut. */
const REFUSED_CLOSE_GRACE_MS = 1000;

/** HTTP refusals as WebSocket close codes, for clients that can only see the latter. */
const CLOSE_CODES: Record<number, number> = { 401: 4401, 403: 4403, 404: 4404 };

/**
 * A client that can read a close code but not an HTTP status: a flowpulse
 * client (it offers our subprotocol) or a browser page (browsers always send
 * `Origin` with a WebSocket handshake, and hide why one failed).
 */
const readsCloseCodes = (req: IncomingMessage) =>
  req.headers.origin !== undefined || offeredProtocols(req.headers['sec-websocket-protocol']).includes(FLOWPULSE_PROTOCOL);

const SOCKET_PATH = /^\/api\/ws\/workflow\/([^/]+)\/?$/;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The workflow id of a socket path (`/api/ws/workflow/{id}`), or undefined.
 *
 * @example
 * socketWorkflowId('/api/ws/workflow/a%20b?last_seq=3'); // 'a b'
 */
export function socketWorkflowId(url: string | undefined): string | undefined {
  const m = SOCKET_PATH.exec((url ?? '').split('?')[0]!);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an upgrade with a plain HTTP response, before any WebSocket
 * handshake (so nothing is ever sent to a refused client), and closes the socket.
 *
 * @example
 * rejectUpgrade(socket, 401, 'authentication required');
 */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: message });
  const extra = status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

/**
 * Handles an HTTP upgrade to the spec's socket `/api/ws/workflow/{id}`:
 * Origin, authentication and `subscribe` permission are checked first
 * (refusals are HTTP 401/403/404/503 with no handshake, or for browsers and
 * flowpulse clients a handshake closed at once with 4401/4403); then, in one
 * synchronous step, the socket is subscribed and sent its catch-up (the
 * messages it missed, or a snapshot; see {@link catchUpFrames}), so nothing
 * slips in between and nothing is sent twice. `?metrics=1` opts in to metrics.
 *
 * @example
 * httpServer.on('upgrade', (req, socket, head) => handleSocketUpgrade(context, req, socket, head));
 */
export function handleSocketUpgrade(ctx: SocketEndpointContext, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  if (ctx.isClosing()) return rejectUpgrade(socket, 503, 'server is shutting down');
  const workflowId = socketWorkflowId(req.url);
  if (workflowId === undefined) return rejectUpgrade(socket, 404, 'WebSocket endpoint is /api/ws/workflow/{workflow_id}');
  const query = parseSocketQuery(req.url);
  const failed = (e: unknown) => {
    ctx.onError?.(e, req);
    rejectUpgrade(socket, 500, 'internal server error');
  };
  // Whatever one socket's request does, it must not become an unhandled rejection that ends the process.
  const accept = (ws: WebSocket, serve: () => void) => {
    try {
      serve();
    } catch (e) {
      ctx.onError?.(e, req);
      ws.close(1011, 'internal server error');
    }
  };
  ctx.access.checkSocket(req, workflowId, query.ticket).then((decision) => {
    try {
      if (ctx.isClosing()) return rejectUpgrade(socket, 503, 'server is shutting down');
      if (!decision.ok) {
        if (!readsCloseCodes(req) || !(decision.status in CLOSE_CODES)) return rejectUpgrade(socket, decision.status, decision.message);
        // A browser cannot read the HTTP status of a refused upgrade, only a close code: it gets
        // 4401/4403 with the reason, so a client stops retrying and can say why (a page of an
        // origin not allowed looked like a dead server). Nothing but the close frame is ever sent.
        return ctx.wss.handleUpgrade(req, socket, head, (ws) =>
          accept(ws, () => {
            ws.close(CLOSE_CODES[decision.status], closeReason(decision.message));
            // A refused peer gets a moment to answer the close, not ws's 30 s: it must not hold a socket that long.
            setTimeout(() => ws.terminate(), REFUSED_CLOSE_GRACE_MS).unref();
          }),
        );
      }
      // The client may have given up while authentication was pending.
      if (socket.destroyed) return;
      ctx.wss.handleUpgrade(req, socket, head, (ws) =>
        accept(ws, () => {
          ctx.manager.connect(ws, workflowId, { metrics: query.metrics });
          ctx.manager.sendCatchUp(ws, catchUpFrames(workflowId, query, ctx.registry, ctx.replay));
          if (query.metrics) {
            ctx.metrics.update();
            // The manager forgets the socket on its own 'close' (registered first); then re-check.
            ws.once('close', () => ctx.metrics.update());
          }
        }),
      );
    } catch (e) {
      failed(e);
    }
  }, failed);
}
