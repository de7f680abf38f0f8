/**
 * WebSocket compression (permessage-deflate) settings of the server.
 *
 * The trade-off: workflow messages are repetitive JSON and compress well
 * (often 5-20x for results and logs), which matters on slow links and for
 * replays after a reconnect. The price is CPU (each message is compressed
 * once per recipient: ws has no shared compression across sockets) and
 * memory per connection for the zlib state. The defaults bound that memory
 * (a 8 KiB window at `serverMaxWindowBits` 13 and `memLevel` 7: about
 * 2^15 + 2^16 bytes of deflate state), drop the window after each message
 * (`*NoContextTakeover`: nothing is retained between messages, at some cost
 * in ratio), and leave messages under 1 KiB uncompressed, where zlib
 * costs more than it saves. Compressed bytes waiting for zlib count toward a
 * client's backlog (`bufferedAmount`), so a CPU-starved server drops slow
 * consumers sooner. Turn it off (`compression: false`) when the
 * server is CPU-bound or sits behind a proxy that compresses already.
 *
 * @example
 * createFlowpulseServer({ compression: { threshold: 4096, level: 1 } });
 * createFlowpulseServer({ compression: false });
 */
export interface CompressionOptions {
  /** Messages smaller than this many bytes are sent uncompressed (zlib would cost more than it saves). @default 1024 */
  threshold?: number | undefined;
  /** zlib level, 1 (fast) to 9 (small). @default 6 */
  level?: number | undefined;
  /** zlib memLevel, 1..9: internal state size. @default 7 */
  memLevel?: number | undefined;
  /** Server window (8..15): 2^bits bytes of history. @default 13 */
  serverMaxWindowBits?: number | undefined;
  /** Forget the window after each message; keeps idle connections cheap. @default true */
  noContextTakeover?: boolean | undefined;
  /** Compressions running at once (ws queues the rest, in order). @default 10 */
  concurrencyLimit?: number | undefined;
}

/**
 * The settings {@link deflateOptions} gives ws's `perMessageDeflate` option (a part of ws's own
 * `PerMessageDeflateOptions`, spelled out so that the package's types need no `@types/ws`).
 */
export interface DeflateSettings {
  threshold: number;
  serverMaxWindowBits: number;
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  concurrencyLimit: number;
  zlibDeflateOptions: { level: number; memLevel: number };
}

/**
 * The `perMessageDeflate` option for ws's `WebSocketServer`, or `false`.
 *
 * @example
 * new WebSocketServer({ noServer: true, perMessageDeflate: deflateOptions({}) });
 */
export function deflateOptions(options: CompressionOptions | false | undefined): DeflateSettings | false {
  if (options === false) return false;
  const o = options ?? {};
  const noContext = o.noContextTakeover ?? true;
  return {
    threshold: o.threshold ?? 1024,
    serverMaxWindowBits: o.serverMaxWindowBits ?? 13,
    serverNoContextTakeover: noContext,
    clientNoContextTakeover: noContext,
    concurrencyLimit: o.concurrencyLimit ?? 10,
    zlibDeflateOptions: { level: o.level ?? 6, memLevel: o.memLevel ?? 7 },
  };
}
