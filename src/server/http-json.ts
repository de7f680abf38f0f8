import type { IncomingMessage, ServerResponse } from 'node:http';
import { jsonShape } from './json-safe';

/**
 * A request that cannot be served; becomes a JSON `{ "error": message, ...details }` response.
 *
 * @example
 * throw new HttpError(404, `unknown workflow "${id}"`);
 */
export class HttpError extends Error {
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.details = details;
    this.headers = headers;
  }
}

/**
 * Writes a JSON response.
 *
 * @example
 * sendJson(res, 202, { execution_id: id });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Bytes of request bodies being read at once, shared by all requests of a server.
 *
 * @example
 * const budget: BodyBudget = { max: 64 * 1024 * 1024, used: 0 };
 */
export interface BodyBudget {
  readonly max: number;
  used: number;
}

/**
 * Reads and parses a JSON body; `undefined` for an empty one. Stops reading
 * past `maxBytes` (413) rather than buffering whatever a client sends,
 * refuses (413) a body of more than `maxValues` JSON values before parsing it
 * (a MiB of `[{},{},…]` is some 30 MB once parsed), and turns malformed JSON,
 * or JSON nested over 100 deep, into a 400. With a `budget`, the bytes it
 * holds while reading count against it, and past it the request gets 503.
 * A client that went away before or while its body is read rejects it
 * with a 400, so it always settles.
 *
 * @example
 * const body = await readJsonBody(req, 1024 * 1024, 100_000);
 * @default maxBytes 1_048_576, maxValues 100_000, budget none
 */
export function readJsonBody(
  req: IncomingMessage,
  maxBytes = 1024 * 1024,
  maxValues = DEFAULT_MAX_BODY_VALUES,
  budget?: BodyBudget,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The client may have gone while the caller awaited something else (an async authenticate):
    // its 'close' has fired already and no 'end' ever will, so waiting would hold req and res for good.
    if (req.readableAborted || (req.destroyed && !req.readableEnded)) {
      return reject(new HttpError(400, 'the request body was not received in full'));
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      return reject(tooLarge(maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    let failed = false;
    const release = () => {
      if (budget) budget.used -= held;
      held = 0;
    };
    const fail = (error: HttpError) => {
      failed = true;
      chunks.length = 0;
      release();
      reject(error);
    };
    let ended = false;
    // An aborted or timed-out request ends with neither 'end' nor always 'error': without this
    // the promise, and the chunks read so far, would wait for good.
    const abort = () => {
      if (!ended && !failed) fail(new HttpError(400, 'the request body was not received in full'));
      release();
    };
    req.once('close', abort);
    req.once('aborted', abort);
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) return fail(tooLarge(maxBytes));
      if (budget) {
        held += chunk.length;
        budget.used += chunk.length;
        if (budget.used > budget.max) return fail(busy());
      }
      chunks.push(chunk);
    });
    req.on('error', (e) => {
      if (!failed) fail(new HttpError(400, `could not read the request body: ${e.message}`));
    });
    req.on('end', () => {
      ended = true;
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      chunks.length = 0;
      release();
      if (text.trim() === '') return resolve(undefined);
      const shape = jsonShape(text);
      if (shape.depth > MAX_JSON_DEPTH) return reject(new HttpError(400, `JSON body nested deeper than ${MAX_JSON_DEPTH} levels`));
      if (shape.values > maxValues) return reject(new HttpError(413, `JSON body holds more than ${maxValues} values`));
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `malformed JSON body: ${(e as Error).message}`));
      }
    });
  });
}

/**
 * Values (objects, arrays, their members, scalars) a JSON body may hold
 * unless the server says otherwise.
 *
 * @example
 * readJsonBody(req, maxBodyBytes, DEFAULT_MAX_BODY_VALUES);
 */
export const DEFAULT_MAX_BODY_VALUES = 100_000;

/** Deeper bodies are refused: they parse, but copying or serializing them later overflows the stack. */
const MAX_JSON_DEPTH = 100;

// The connection is closed after a 413 so the unread rest of the body is not
// parsed as the next request.
const tooLarge = (maxBytes: number) => new HttpError(413, `request body larger than ${maxBytes} bytes`, {}, { Connection: 'close' });
const busy = () =>
  new HttpError(503, 'server is busy reading other request bodies; try again', {}, { Connection: 'close', 'Retry-After': '1' });
