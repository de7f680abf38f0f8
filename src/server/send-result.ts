import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { acceptsGzip } from './result-ref';

const gzipAsync = promisify(gzip);

/**
 * Writes a (possibly large) JSON value, gzip-compressed when the request
 * accepts it. Compression runs on the libuv thread pool, so a 1 MB result
 * does not block the event loop; JSON results usually shrink 5-20x.
 *
 * @example
 * await sendJsonResult(req, res, record.nodes[nodeId].result);
 */
export async function sendJsonResult(req: IncomingMessage, res: ServerResponse, value: unknown): Promise<void> {
  const raw = Buffer.from(JSON.stringify(value) ?? 'null');
  const zipped = acceptsGzip(req.headers['accept-encoding']) ? await gzipAsync(raw) : undefined;
  const body = zipped ?? raw;
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    Vary: 'Accept-Encoding',
    ...(zipped ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
