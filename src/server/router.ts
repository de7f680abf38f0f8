import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-json';

/**
 * What a route handler gets: the request, the response, and the decoded
 * `:name` segments of its pattern.
 *
 * @example
 * const handler: RouteHandler = ({ res, params }) => sendJson(res, 200, { id: params.id });
 */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
}

/**
 * Handles one method of one route.
 *
 * @example
 * const health: RouteHandler = ({ res }) => sendJson(res, 200, { status: 'ok' });
 */
export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

/**
 * A path pattern (`/api/workflows/:id`) and its handlers by method.
 *
 * @example
 * { path: '/api/workflows/:id', methods: { GET: getWorkflow, PUT: putWorkflow } }
 */
export interface Route {
  path: string;
  methods: Record<string, RouteHandler>;
}

/**
 * The decoded segments of a request path, without the query and without a
 * trailing slash. Throws a 400 for malformed percent-encoding.
 *
 * @example
 * pathSegments('/api/workflows/a%20b/?x=1'); // ['api', 'workflows', 'a b']
 */
export function pathSegments(url: string | undefined): string[] {
  // Only the path is used, never `new URL(url, base)`: a request line like
  // `//evil.example/x` must not be read as a host.
  const path = (url ?? '/').split('?')[0]!.split('#')[0]!;
  const raw = path.split('/').slice(1);
  if (raw[raw.length - 1] === '') raw.pop();
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    throw new HttpError(400, `malformed percent-encoding in path "${path}"`);
  }
}

/**
 * Finds the route for the segments and the handler for the method:
 * `undefined` for no route (404), a 405 {@link HttpError} (with `Allow`) for
 * a route without that method. HEAD is served by GET.
 *
 * @example
 * const found = matchRoute(routes, 'GET', ['api', 'workflows', 'x']);
 */
export function matchRoute(
  routes: Route[],
  method: string,
  segments: string[],
): { handler: RouteHandler; params: Record<string, string> } | undefined {
  // A path may match several routes (`/a/:id` and `/a/b`): 405 only when none of them has the method.
  const allowed = new Set<string>();
  let path: string | undefined;
  for (const route of routes) {
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      const s = segments[i]!;
      if (p.startsWith(':')) {
        params[p.slice(1)] = s;
        return s.length > 0;
      }
      return p === s;
    });
    if (!ok) continue;
    const handler = route.methods[method] ?? (method === 'HEAD' ? route.methods.GET : undefined);
    if (handler) return { handler, params };
    path ??= route.path;
    for (const m of Object.keys(route.methods)) allowed.add(m);
    if (route.methods.GET) allowed.add('HEAD');
  }
  if (path !== undefined) {
    const allow = [...allowed, 'OPTIONS'].join(', ');
    throw new HttpError(405, `method ${method} not allowed on ${path} (allowed: ${allow})`, {}, { Allow: allow });
  }
  return undefined;
}
