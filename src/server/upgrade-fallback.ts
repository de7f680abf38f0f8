import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rejectUpgrade } from './socket-endpoint';

/**
 * Whether an upgrade request asks for a WebSocket. Node sends every request
 * carrying `Upgrade` (`curl --http2` offers `h2c`) to the upgrade listener;
 * only WebSocket ones are ours to take.
 *
 * @example
 * if (!wantsWebSocket(req)) serveWithoutUpgrade(req, socket, handleRequest);
 */
export const wantsWebSocket = (req: IncomingMessage) => String(req.headers.upgrade).toLowerCase() === 'websocket';

/**
 * Answers an upgrade request we decline as the plain HTTP/1.1 request it also
 * is, as RFC 9110 lets a server ignore `Upgrade`; the connection closes after.
 * A request with a body is refused with 400 instead: Node has already handed
 * the body's bytes to the upgrade, so it cannot be read as a request body.
 *
 * @example
 * httpServer.on('upgrade', (req, socket) => serveWithoutUpgrade(req, socket, handleRequest));
 */
export function serveWithoutUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  // Node removed its own error listener when it handed the socket over: without one, a reset kills the process.
  socket.on('error', () => socket.destroy());
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.headers['transfer-encoding'] || length > 0)
    return rejectUpgrade(socket, 400, `cannot upgrade to ${req.headers.upgrade}: send the request without Upgrade`);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.once('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  listener(req, res);
}
