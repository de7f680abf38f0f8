import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ConnectionManager, type ConnectionManagerOptions } from './connection-manager';
import { WorkflowEngine, type ExecutionHandle } from './engine';
import { ExecutionRegistry, summarizeExecution, type ExecutionRegistryOptions } from './execution-registry';
import { validateWorkflow, WorkflowValidationError } from './graph';
import { HttpError, readJsonBody, sendJson } from './http-json';
import { createBuiltinNodeTypes, type NodeTypeRegistry } from './node-types';
import { matchRoute, pathSegments, type Route } from './router';
import { serveStatic } from './static-files';
import type { WorkflowDefinition } from './workflow';
import { WorkflowStore } from './workflow-store';

/**
 * Options of {@link createFlowpulseServer}.
 *
 * @example
 * createFlowpulseServer({ port: 0, workflowsDir: './workflows', staticDir: './demo/dist' });
 */
export interface FlowpulseServerOptions {
  /** 0 picks a free port. @default 8000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** A folder of workflow JSON files, loaded by `listen()`. */
  workflowsDir?: string;
  /** Definitions registered at creation (validated; throws `WorkflowValidationError`). */
  workflows?: WorkflowDefinition[];
  /** Served at `/` when given (index.html for directories). */
  staticDir?: string;
  /** Node types for every execution. @default createBuiltinNodeTypes() */
  nodeTypes?: NodeTypeRegistry;
  /** Nodes running at once within one execution. @default 4 */
  maxConcurrency?: number;
  /** Cap on stored definitions (files plus `PUT`). @default 1000 */
  maxWorkflows?: number;
  /** Largest accepted HTTP body. @default 1_048_576 */
  maxBodyBytes?: number;
  /** Largest accepted WebSocket frame from a client; clients only send `ping`. @default 65_536 */
  maxPayloadBytes?: number;
  /** Backpressure and heartbeat settings of the connection manager. */
  connections?: ConnectionManagerOptions;
  /** Retention of execution records. */
  executions?: ExecutionRegistryOptions;
  /** Told about unexpected errors (those answered with 500); the library itself never logs. */
  onError?: (error: unknown, req?: IncomingMessage) => void;
}

/**
 * A running (or ready) flowpulse server.
 *
 * @example
 * const server = createFlowpulseServer({ port: 0 });
 * const { url } = await server.listen();
 * await server.close();
 */
export interface FlowpulseServer {
  /** Loads `workflowsDir`, then listens. Resolves with the bound port and base URL. */
  listen(): Promise<{ port: number; url: string }>;
  /** Cancels running executions, closes sockets and the HTTP server. */
  close(): Promise<void>;
  manager: ConnectionManager;
  registry: ExecutionRegistry;
  workflows: WorkflowStore;
  nodeTypes: NodeTypeRegistry;
  httpServer: Server;
}

const SOCKET_PATH = /^\/api\/ws\/workflow\/([^/]+)\/?$/;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The workflow id of a socket path, or undefined. */
function socketWorkflowId(url: string | undefined): string | undefined {
  const m = SOCKET_PATH.exec((url ?? '').split('?')[0]!);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The reference server: the spec's WebSocket endpoint
 * `/api/ws/workflow/{workflow_id}` plus a small JSON API, on plain
 * `node:http` and `ws`.
 *
 * - `GET /api/workflows` → `[{ id, name, nodeCount }]`
 * - `GET /api/workflows/{id}` → the definition
 * - `PUT /api/workflows/{id}` → register or replace (201 / 200); 422 with `problems` if invalid, 409 past `maxWorkflows`
 * - `POST /api/workflows/{id}/execute` with optional `{ "initial_inputs": {} }` → 202 `{ execution_id, workflow_id }`
 * - `GET /api/workflows/{id}/executions` → recent runs, newest first
 * - `GET /api/workflows/{id}/executions/{execution_id}` → the `ExecutionRecord`
 * - `GET /api/health` → counters
 *
 * Errors are JSON `{ "error": reason }` with 400 / 404 / 405 / 413 / 422, and
 * 500 for anything unexpected; no request can take the server down.
 *
 * @example
 * const server = createFlowpulseServer({ port: 8000, workflowsDir: 'workflows' });
 * const { url } = await server.listen();
 * // wscat -c ws://127.0.0.1:8000/api/ws/workflow/linear-pipeline
 * // curl -X POST $url/api/workflows/linear-pipeline/execute -d '{"initial_inputs": {}}'
 * @default port 8000, host '127.0.0.1'
 */
export function createFlowpulseServer(options: FlowpulseServerOptions = {}): FlowpulseServer {
  const port = options.port ?? 8000;
  const host = options.host ?? '127.0.0.1';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const nodeTypes = options.nodeTypes ?? createBuiltinNodeTypes();
  const manager = new ConnectionManager(options.connections);
  const registry = new ExecutionRegistry(options.executions);
  const workflows = new WorkflowStore(nodeTypes, options.maxWorkflows);
  for (const def of options.workflows ?? []) workflows.put(def);
  const active = new Set<ExecutionHandle>();
  let closing = false;

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 64 * 1024 });
  wss.on('error', () => {
    // Handshake errors are answered by ws itself; nothing to add.
  });

  const requireWorkflow = (id: string): WorkflowDefinition => {
    const def = workflows.get(id);
    if (!def) throw new HttpError(404, `unknown workflow "${id}"`);
    return def;
  };

  const routes: Route[] = [
    {
      path: '/api/health',
      methods: {
        GET: ({ res }) =>
          sendJson(res, 200, { status: 'ok', ...manager.stats(), workflowCount: workflows.list().length, executions: registry.size }),
      },
    },
    { path: '/api/workflows', methods: { GET: ({ res }) => sendJson(res, 200, workflows.list()) } },
    {
      path: '/api/workflows/:id',
      methods: {
        GET: ({ res, params }) => sendJson(res, 200, requireWorkflow(params.id!)),
        PUT: async ({ req, res, params }) => {
          const id = params.id!;
          const body = await readJsonBody(req, maxBodyBytes);
          if (!isObject(body)) throw new HttpError(400, 'body must be a workflow definition object { id?, name, nodes, edges }');
          if (body.id !== undefined && body.id !== id) {
            throw new HttpError(400, `workflow id in body ${JSON.stringify(body.id)} does not match the path id "${id}"`);
          }
          const def = { ...body, id };
          const problems = validateWorkflow(def, { nodeTypes });
          if (problems.length > 0) {
            throw new HttpError(422, 'invalid workflow', { problems: problems.map((p) => p.message), details: problems });
          }
          if (!workflows.get(id) && workflows.isFull()) {
            throw new HttpError(409, 'workflow limit reached; replace an existing workflow instead of adding one');
          }
          const created = workflows.put(def);
          sendJson(res, created ? 201 : 200, workflows.get(id));
        },
      },
    },
    {
      path: '/api/workflows/:id/execute',
      methods: {
        POST: async ({ req, res, params }) => {
          const id = params.id!;
          const def = requireWorkflow(id);
          const body = await readJsonBody(req, maxBodyBytes);
          if (body !== undefined && !isObject(body)) throw new HttpError(400, 'body must be a JSON object like {"initial_inputs": {}}');
          const inputs = body?.initial_inputs ?? {};
          if (!isObject(inputs)) throw new HttpError(400, 'initial_inputs must be a JSON object');
          if (closing) throw new HttpError(503, 'server is shutting down');
          // One engine per execution: it is cheap, and nothing outlives the run but its record.
          const engine = new WorkflowEngine({
            workflowId: id,
            manager,
            registry,
            nodeTypes,
            ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
          });
          let handle: ExecutionHandle;
          try {
            handle = engine.execute(def, inputs);
          } catch (e) {
            // Only possible if a node type was unregistered after the definition was stored.
            if (e instanceof WorkflowValidationError) {
              throw new HttpError(422, 'invalid workflow', { problems: e.problems.map((p) => p.message), details: e.problems });
            }
            throw e;
          }
          active.add(handle);
          void handle.done.then(() => active.delete(handle));
          sendJson(res, 202, {
            execution_id: handle.executionId,
            workflow_id: id,
            status: 'running',
            execution_url: `/api/workflows/${encodeURIComponent(id)}/executions/${handle.executionId}`,
          });
        },
      },
    },
    {
      path: '/api/workflows/:id/executions',
      methods: {
        GET: ({ res, params }) => {
          const id = params.id!;
          requireWorkflowOrRuns(id);
          sendJson(res, 200, registry.list(id).map(summarizeExecution));
        },
      },
    },
    {
      path: '/api/workflows/:id/executions/:executionId',
      methods: {
        GET: ({ res, params }) => {
          const record = registry.get(params.executionId!, params.id!);
          if (!record) throw new HttpError(404, `unknown execution "${params.executionId}" of workflow "${params.id}"`);
          sendJson(res, 200, record);
        },
      },
    },
    {
      path: '/api/ws/workflow/:id',
      methods: {
        GET: () => {
          throw new HttpError(426, 'this is a WebSocket endpoint; connect with a WebSocket client', {}, { Upgrade: 'websocket' });
        },
      },
    },
  ];

  // A workflow replaced or removed since may still have runs on record.
  function requireWorkflowOrRuns(id: string): void {
    if (!workflows.get(id) && registry.list(id).length === 0) throw new HttpError(404, `unknown workflow "${id}"`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const segments = pathSegments(req.url);
    const method = req.method ?? 'GET';
    if (segments[0] === 'api') {
      for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
      if (method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      const found = matchRoute(routes, method, segments);
      if (!found) throw new HttpError(404, `no such endpoint: ${method} ${req.url?.split('?')[0]}`);
      await found.handler({ req, res, params: found.params });
      return;
    }
    if (options.staticDir) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `method ${method} not allowed`, {}, { Allow: 'GET, HEAD' });
      if (await serveStatic(req, res, options.staticDir, segments)) return;
    }
    throw new HttpError(404, `not found: ${req.url?.split('?')[0]}`);
  }

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendJson(res, e.status, { error: e.message, ...e.details }, e.headers);
        return;
      }
      options.onError?.(e, req);
      sendJson(res, 500, { error: 'internal server error' });
    });
  });
  httpServer.on('clientError', (_err, socket) => {
    // Malformed HTTP: answer 400 if the socket can still take it, never throw.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const workflowId = socketWorkflowId(req.url);
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable', 'server is shutting down');
    if (workflowId === undefined) {
      return rejectUpgrade(socket, 404, 'Not Found', 'WebSocket endpoint is /api/ws/workflow/{workflow_id}');
    }
    wss.handleUpgrade(req, socket, head, (ws) => manager.connect(ws, workflowId));
  });

  return {
    manager,
    registry,
    workflows,
    nodeTypes,
    httpServer,
    async listen() {
      if (options.workflowsDir) await workflows.loadDirectory(options.workflowsDir);
      await new Promise<void>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        httpServer.once('error', onError);
        httpServer.listen(port, host, () => {
          httpServer.off('error', onError);
          resolve();
        });
      });
      const address = httpServer.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { port: bound, url: `http://${shownHost}:${bound}` };
    },
    async close() {
      closing = true;
      for (const h of [...active]) h.cancel('server shutting down');
      await Promise.all([...active].map((h) => h.done));
      await manager.close(500);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}
