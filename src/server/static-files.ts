import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

/**
 * Content types by extension; anything else is served as bytes.
 *
 * @example
 * CONTENT_TYPES['.js']; // 'text/javascript; charset=utf-8'
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** `If-Modified-Since` at or after the file's time (HTTP dates have whole seconds). */
function notModifiedSince(req: IncomingMessage, mtimeMs: number): boolean {
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}

// The static root as the file system resolves it, worked out once per root.
const realRoots = new Map<string, Promise<string>>();
const realRoot = (root: string) => {
  let real = realRoots.get(root);
  if (!real) realRoots.set(root, (real = realpath(resolve(root)).catch(() => resolve(root))));
  return real;
};

/**
 * Serves a file from `root` for a GET/HEAD request, given the already
 * decoded path segments. Directories serve their `index.html` (a directory
 * named without its trailing slash is redirected to it, so its relative links
 * work). Returns false when there is no such file (the caller answers 404).
 * Segments that could climb out of `root` (`..`, separators, NUL) never match,
 * nor do dotfiles (`.env`, `.git`), nor links that lead outside `root`, nor a
 * file named with a trailing slash (`/app.js/`).
 * Files carry an ETag and Last-Modified, and a conditional request that still
 * matches gets a 304.
 *
 * @example
 * if (!(await serveStatic(req, res, '/srv/app', ['assets', 'index.js']))) notFound(res);
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, segments: string[]): Promise<boolean> {
  // A leading dot covers `.` and `..` as well as dotfiles; an empty segment (`//`) names nothing.
  if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('/') || s.includes('\\') || s.includes('\0'))) return false;
  const base = await realRoot(root);
  const inside = (path: string) => path === base || path.startsWith(base + sep);
  let file = resolve(join(base, ...segments));
  if (!inside(file)) return false;
  const trailingSlash = (req.url ?? '').split('?')[0]!.endsWith('/');
  let info = await stat(file).catch(() => undefined);
  // `/app.js/` names a folder: served as the file, its relative links would resolve under it.
  if (info?.isFile() && trailingSlash && segments.length) return false;
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (info?.isFile() && segments.length && !trailingSlash) {
      // Relative, so a proxy's path prefix survives it.
      const url = req.url ?? '';
      const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
      res.writeHead(301, { Location: `${encodeURIComponent(segments[segments.length - 1]!)}/${query}`, 'Content-Length': 0 });
      res.end();
      return true;
    }
  }
  if (!info?.isFile()) return false;
  // The path is inside; where a link in it leads must be too.
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined || !inside(real)) return false;
  file = real;
  // `no-cache` means "ask first": a validator lets the answer be a 304 with no body instead of the file again.
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const validators = { ETag: etag, 'Last-Modified': info.mtime.toUTCString(), 'Cache-Control': 'no-cache' };
  const match = req.headers['if-none-match'];
  if (match !== undefined ? match.split(',').some((t) => t.trim() === etag || t.trim() === '*') : notModifiedSince(req, info.mtimeMs)) {
    res.writeHead(304, validators);
    res.end();
    return true;
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    ...validators,
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((done) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      done();
    });
    stream.on('end', done);
    res.on('close', () => {
      stream.destroy();
      done();
    });
    stream.pipe(res);
  });
  return true;
}
