import type { AccessControl } from './access';
import type { ConnectionManager } from './connection-manager';
import type { ExecutionHandle } from './engine';
import { summarizeExecution, type ExecutionRecord, type ExecutionRegistry } from './execution-registry';
import { validateWorkflow, WorkflowValidationError } from './graph';
import { HttpError, readJsonBody, sendJson, type BodyBudget } from './http-json';
import type { NodeTypeRegistry } from './node-types';
import type { ReplayStore } from './replay-store';
import type { Route } from './router';
import { sendJsonResult } from './send-result';
import { TicketLimitError } from './tickets';
import type { WorkflowDefinition } from './workflow';
import type { WorkflowStore } from './workflow-store';

/**
 * What the REST routes work with; built by `createFlowpulseServer`.
 *
 * @example
 * const routes = createApiRoutes({ access, manager, registry, replay, workflows, nodeTypes, live, liveMemory, maxBodyBytes, maxBodyValues, bodyBudget, startExecution });
 */
export interface ApiContext {
  access: AccessControl;
  manager: ConnectionManager;
  registry: ExecutionRegistry;
  replay: ReplayStore;
  workflows: WorkflowStore;
  nodeTypes: NodeTypeRegistry;
  /** Live executions (running or paused) by id. */
  live: ReadonlyMap<string, ExecutionHandle>;
  /** What they hold in memory, by estimate (`used`), for `/api/health`. */
  liveMemory: { readonly used: number };
  maxBodyBytes: number;
  /** Most JSON values a body may hold. */
  maxBodyValues: number;
  /** Bytes of all bodies being read at once, shared by every request. */
  bodyBudget: BodyBudget;
  /**
   * Starts a run; throws `WorkflowValidationError`, a 429 `HttpError` past the
   * live-execution limits, a 413 or 503 one when its inputs do not fit
   * `maxLiveBytesPerExecution` or `maxLiveBytes`, or a 503 one while shutting down.
   */
  startExecution(workflowId: string, def: WorkflowDefinition, inputs: Record<string, unknown>): ExecutionHandle;
}

/** Run-control verbs of `POST /api/workflows/{id}/executions/{execution_id}/{action}`. */
const CONTROL_ACTIONS = ['pause', 'resume', 'cancel'] as const;

/**
 * The reason a cancel over REST gives, in `run_state.reason` and the completion errors.
 *
 * @example
 * handle.cancel(USER_CANCEL_REASON); // errors: ['Execution cancelled: cancelled by user']
 */
export const USER_CANCEL_REASON = 'cancelled by user';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (e: WorkflowValidationError) =>
  new HttpError(422, 'invalid workflow', { problems: e.problems.map((p) => p.message), details: e.problems });

/** The longest `workflow_id` a socket ticket may be bound to. */
const MAX_TICKET_WORKFLOW_ID = 1024;

/**
 * The REST API. Every route but `/api/health` is authenticated when the
 * server has `auth`, and authorized per workflow and action:
 *
 * - `GET /api/health` → counters (public)
 * - `POST /api/ws-ticket` with optional `{ "workflow_id" }` (up to 1024 characters) → `{ ticket, expires_in }`
 *   (single use, for `?ticket=`); 429 with `Retry-After` while `tickets.maxTickets` are outstanding
 * - `GET /api/workflows` → `[{ id, name, nodeCount }]`, only those the principal may `read`
 * - `GET /api/workflows/{id}` (`read`), `PUT` (`write`) → the definition
 * - `POST /api/workflows/{id}/execute` (`execute`) → 202 `{ execution_id, … }`; 429 with `Retry-After`
 *   past `maxLiveExecutions` / `maxLiveExecutionsPerWorkflow` (runs of one workflow may overlap up to that);
 *   503 with `Retry-After` when live runs hold `maxLiveBytes`, 413 for inputs over `maxLiveBytesPerExecution`
 * - `GET /api/workflows/{id}/executions` and `…/executions/{eid}` (`read`) → summaries, the record
 * - `POST /api/workflows/{id}/executions/{eid}/pause|resume|cancel` (`control`) → `{ execution_id, state }`;
 *   404 unknown, 409 not applicable (e.g. resume when not paused, anything once finished)
 * - `GET /api/workflows/{id}/executions/{eid}/nodes/{node}/result` (`read`) → the full result, gzip if accepted
 *
 * @example
 * const routes = createApiRoutes(context);
 * const found = matchRoute(routes, req.method, pathSegments(req.url));
 */
export function createApiRoutes(ctx: ApiContext): Route[] {
  const { access, registry, workflows, nodeTypes, maxBodyBytes, maxBodyValues, bodyBudget } = ctx;

  const requireWorkflow = (id: string): WorkflowDefinition => {
    const def = workflows.get(id);
    if (!def) throw new HttpError(404, `unknown workflow "${id}"`);
    return def;
  };
  // A workflow replaced or removed since may still have runs on record.
  const requireWorkflowOrRuns = (id: string): void => {
    if (!workflows.get(id) && registry.list(id).length === 0) throw new HttpError(404, `unknown workflow "${id}"`);
  };
  const requireExecution = (workflowId: string, executionId: string): ExecutionRecord => {
    const record = registry.get(executionId, workflowId);
    if (!record) throw new HttpError(404, `unknown execution "${executionId}" of workflow "${workflowId}"`);
    return record;
  };

  const controlRoutes: Route[] = CONTROL_ACTIONS.map((action) => ({
    path: `/api/workflows/:id/executions/:executionId/${action}`,
    methods: {
      POST: async ({ req, res, params }) => {
        await access.checkHttp(req, params.id!, 'control');
        const record = requireExecution(params.id!, params.executionId!);
        const handle = ctx.live.get(record.executionId);
        const applied = handle ? (action === 'cancel' ? handle.cancel(USER_CANCEL_REASON) : handle[action]()) : false;
        if (!applied) throw new HttpError(409, `cannot ${action} an execution that is ${record.status}`, { state: record.status });
        sendJson(res, 200, { execution_id: record.executionId, state: record.status });
      },
    },
  }));

  return [
    {
      path: '/api/health',
      methods: {
        GET: ({ res }) =>
          sendJson(res, 200, {
            status: 'ok',
            ...ctx.manager.stats(),
            workflowCount: workflows.list().length,
            executions: registry.size,
            liveExecutions: ctx.live.size,
            liveBytes: ctx.liveMemory.used,
            replay: ctx.replay.stats(),
          }),
      },
    },
    {
      path: '/api/ws-ticket',
      methods: {
        POST: async ({ req, res }) => {
          const principal = await access.authenticateHttp(req);
          const body = await readJsonBody(req, maxBodyBytes, maxBodyValues, bodyBudget);
          if (body !== undefined && !isObject(body)) throw new HttpError(400, 'body must be a JSON object like {"workflow_id": "…"}');
          const workflowId = body?.workflow_id ?? null;
          if (workflowId !== null && typeof workflowId !== 'string') throw new HttpError(400, 'workflow_id must be a string');
          // An id of any length the body allows, held for the ticket's lifetime, made a thousand tickets
          // cost a gigabyte. Any id a socket path can name stays valid: an app's own engine may broadcast
          // to workflows the server does not store. A stored one shares its id string.
          if (workflowId !== null && workflowId.length > MAX_TICKET_WORKFLOW_ID) {
            throw new HttpError(400, `workflow_id longer than ${MAX_TICKET_WORKFLOW_ID} characters`);
          }
          if (workflowId !== null && !(await access.authorize(principal, workflowId, 'subscribe'))) {
            throw new HttpError(403, `not allowed to subscribe to workflow "${workflowId}"`);
          }
          const boundTo = workflowId === null ? null : (workflows.get(workflowId)?.id ?? workflowId);
          try {
            sendJson(res, 200, access.issueTicket(principal, boundTo));
          } catch (e) {
            if (e instanceof TicketLimitError) throw new HttpError(429, e.message, {}, { 'Retry-After': String(e.retryAfterSeconds) });
            throw e;
          }
        },
      },
    },
    {
      path: '/api/workflows',
      methods: {
        GET: async ({ req, res }) => {
          const principal = await access.authenticateHttp(req);
          const all = workflows.list();
          const readable = await Promise.all(all.map((w) => access.authorize(principal, w.id, 'read')));
          sendJson(
            res,
            200,
            all.filter((_, i) => readable[i]),
          );
        },
      },
    },
    {
      path: '/api/workflows/:id',
      methods: {
        GET: async ({ req, res, params }) => {
          await access.checkHttp(req, params.id!, 'read');
          sendJson(res, 200, requireWorkflow(params.id!));
        },
        PUT: async ({ req, res, params }) => {
          const id = params.id!;
          await access.checkHttp(req, id, 'write');
          const body = await readJsonBody(req, maxBodyBytes, maxBodyValues, bodyBudget);
          if (!isObject(body)) throw new HttpError(400, 'body must be a workflow definition object { id?, name?, nodes, edges }');
          if (body.id !== undefined && body.id !== id) {
            throw new HttpError(400, `workflow id in body ${JSON.stringify(body.id)} does not match the path id "${id}"`);
          }
          const def = { ...body, id };
          const problems = validateWorkflow(def, { nodeTypes });
          if (problems.length > 0) throw invalid(new WorkflowValidationError(problems));
          if (!workflows.get(id) && workflows.isFull()) {
            throw new HttpError(409, 'workflow limit reached; replace an existing workflow instead of adding one');
          }
          let created: boolean;
          try {
            created = workflows.put(def);
          } catch (e) {
            if (e instanceof RangeError) throw new HttpError(409, e.message);
            throw e;
          }
          sendJson(res, created ? 201 : 200, workflows.get(id));
        },
      },
    },
    {
      path: '/api/workflows/:id/execute',
      methods: {
        POST: async ({ req, res, params }) => {
          const id = params.id!;
          await access.checkHttp(req, id, 'execute');
          const def = requireWorkflow(id);
          const body = await readJsonBody(req, maxBodyBytes, maxBodyValues, bodyBudget);
          if (body !== undefined && !isObject(body)) throw new HttpError(400, 'body must be a JSON object like {"initial_inputs": {}}');
          const inputs = body?.initial_inputs ?? {};
          if (!isObject(inputs)) throw new HttpError(400, 'initial_inputs must be a JSON object');
          let handle: ExecutionHandle;
          try {
            handle = ctx.startExecution(id, def, inputs);
          } catch (e) {
            // Only possible if a node type was unregistered after the definition was stored.
            if (e instanceof WorkflowValidationError) throw invalid(e);
            throw e;
          }
          sendJson(res, 202, {
            execution_id: handle.executionId,
            workflow_id: id,
            status: 'running',
            execution_url: `/api/workflows/${encodeURIComponent(id)}/executions/${encodeURIComponent(handle.executionId)}`,
          });
        },
      },
    },
    {
      path: '/api/workflows/:id/executions',
      methods: {
        GET: async ({ req, res, params }) => {
          const id = params.id!;
          await access.checkHttp(req, id, 'read');
          requireWorkflowOrRuns(id);
          sendJson(res, 200, registry.list(id).map(summarizeExecution));
        },
      },
    },
    {
      path: '/api/workflows/:id/executions/:executionId',
      methods: {
        GET: async ({ req, res, params }) => {
          await access.checkHttp(req, params.id!, 'read');
          sendJson(res, 200, requireExecution(params.id!, params.executionId!));
        },
      },
    },
    ...controlRoutes,
    {
      path: '/api/workflows/:id/executions/:executionId/nodes/:nodeId/result',
      methods: {
        GET: async ({ req, res, params }) => {
          await access.checkHttp(req, params.id!, 'read');
          const record = requireExecution(params.id!, params.executionId!);
          const node = Object.hasOwn(record.nodes, params.nodeId!) ? record.nodes[params.nodeId!] : undefined;
          if (!node) throw new HttpError(404, `unknown node "${params.nodeId}" in execution "${params.executionId}"`);
          if (node.status !== 'completed') throw new HttpError(404, `node "${params.nodeId}" has no result (it is ${node.status})`);
          await sendJsonResult(req, res, node.result);
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
}
