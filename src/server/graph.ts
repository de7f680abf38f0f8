import type { WorkflowDefinition, WorkflowEdgeDefinition, WorkflowNodeDefinition } from './workflow';

/**
 * What kind of mistake a {@link WorkflowProblem} is.
 *
 * @example
 * problems.filter((p) => p.code === 'cycle');
 */
export type WorkflowProblemCode =
  | 'not_an_object'
  | 'missing_field'
  | 'invalid_field'
  | 'duplicate_node'
  | 'duplicate_edge'
  | 'reserved_id'
  | 'unknown_node_type'
  | 'unknown_node'
  | 'cycle';

/**
 * One thing wrong with a workflow definition. `message` names the culprit
 * (node id, edge, field) so it can be shown to a user as is.
 *
 * @example
 * { code: 'cycle', path: 'edges', message: 'cycle detected: a → b → a', nodeIds: ['a', 'b'] }
 */
export interface WorkflowProblem {
  code: WorkflowProblemCode;
  message: string;
  /** Dotted path into the definition, e.g. `nodes[2].type`. */
  path: string;
  /** The nodes involved, when the problem is about nodes. */
  nodeIds?: string[] | undefined;
}

/**
 * Anything that can say whether a node type exists: a `NodeTypeRegistry`, a `Set`, a `Map`.
 *
 * @example
 * validateWorkflow(def, { nodeTypes: new Set(['delay', 'merge']) });
 */
export interface NodeTypeLookup {
  has(type: string): boolean;
}

/**
 * Options of {@link validateWorkflow}.
 *
 * @example
 * validateWorkflow(def, { nodeTypes: new Set(['delay']) });
 */
export interface ValidateWorkflowOptions {
  /** Node types that exist; when omitted, node types are not checked. */
  nodeTypes?: NodeTypeLookup | undefined;
}

/**
 * Thrown by `WorkflowEngine.execute` for a definition that cannot run.
 *
 * @example
 * try { engine.execute(def); } catch (e) { if (e instanceof WorkflowValidationError) show(e.problems); }
 */
export class WorkflowValidationError extends Error {
  /** Every problem found, not just the first. */
  readonly problems: WorkflowProblem[];

  constructor(problems: WorkflowProblem[]) {
    super(`invalid workflow: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'WorkflowValidationError';
    this.problems = problems;
  }
}

/**
 * The key under which a node's `ctx.inputs` carries the run's initial inputs;
 * a node with this id would shadow them, so it is reserved.
 *
 * @example
 * const initial = ctx.inputs[INITIAL_INPUTS_KEY];
 */
export const INITIAL_INPUTS_KEY = 'initial_inputs';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

// URLs resolve `.` and `..` away (even percent-encoded), so such an id could never be named in a route.
const isDotSegment = (id: string) => id === '.' || id === '..';
const DOT_SEGMENT = (path: string) => `${path} cannot be "." or "..": a URL path cannot name it`;

/**
 * Checks a workflow definition (any JSON value) and returns every problem
 * found; an empty list means it can run. Never throws.
 *
 * Checked: required fields and their types, duplicate node and edge ids,
 * unknown node types (when `nodeTypes` is given), edges naming unknown nodes,
 * and cycles (the message walks the cycle: `a → b → c → a`).
 *
 * @example
 * const problems = validateWorkflow(JSON.parse(text), { nodeTypes: registry });
 * if (problems.length) throw new WorkflowValidationError(problems);
 */
export function validateWorkflow(def: unknown, options: ValidateWorkflowOptions = {}): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const add = (code: WorkflowProblemCode, path: string, message: string, nodeIds?: string[]) =>
    problems.push({ code, path, message, ...(nodeIds ? { nodeIds } : {}) });

  if (!isObject(def)) {
    add('not_an_object', '', 'workflow must be a JSON object with id, name, nodes and edges');
    return problems;
  }
  if (def.id === undefined) add('missing_field', 'id', 'workflow.id is required');
  else if (!isNonEmptyString(def.id)) add('invalid_field', 'id', 'workflow.id must be a non-empty string');
  else if (isDotSegment(def.id)) add('invalid_field', 'id', DOT_SEGMENT('workflow.id'));
  if (def.name !== undefined && typeof def.name !== 'string') {
    add('invalid_field', 'name', 'workflow.name must be a string');
  }

  const nodeIds = new Map<string, number>();
  if (def.nodes === undefined) add('missing_field', 'nodes', 'workflow.nodes is required');
  else if (!Array.isArray(def.nodes)) add('invalid_field', 'nodes', 'workflow.nodes must be an array');
  else if (def.nodes.length === 0) add('invalid_field', 'nodes', 'workflow.nodes must contain at least one node');
  else {
    def.nodes.forEach((node: unknown, i: number) => {
      const at = `nodes[${i}]`;
      if (!isObject(node)) return add('invalid_field', at, `${at} must be an object with id and type`);
      const name = isNonEmptyString(node.id) ? `node "${node.id}"` : at;
      if (node.id === undefined) add('missing_field', `${at}.id`, `${at}.id is required`);
      else if (!isNonEmptyString(node.id)) add('invalid_field', `${at}.id`, `${at}.id must be a non-empty string`);
      else if (isDotSegment(node.id)) add('invalid_field', `${at}.id`, DOT_SEGMENT(`${at}.id`));
      else if (node.id === INITIAL_INPUTS_KEY) {
        add('reserved_id', `${at}.id`, `${at}.id "${INITIAL_INPUTS_KEY}" is reserved for the run's initial inputs`);
      } else {
        const first = nodeIds.get(node.id);
        if (first !== undefined) {
          add('duplicate_node', `${at}.id`, `duplicate node id "${node.id}" (nodes[${first}] and ${at})`, [node.id]);
        } else nodeIds.set(node.id, i);
      }
      if (node.type === undefined) add('missing_field', `${at}.type`, `${name} (${at}) has no type`);
      else if (!isNonEmptyString(node.type)) add('invalid_field', `${at}.type`, `${at}.type must be a non-empty string`);
      else if (options.nodeTypes && !options.nodeTypes.has(node.type)) {
        add(
          'unknown_node_type',
          `${at}.type`,
          `${name} has unknown type "${node.type}"`,
          isNonEmptyString(node.id) ? [node.id] : undefined,
        );
      }
      if (node.label !== undefined && typeof node.label !== 'string') {
        add('invalid_field', `${at}.label`, `${name}: label must be a string`);
      }
      if (node.config !== undefined && !isObject(node.config)) {
        add('invalid_field', `${at}.config`, `${name}: config must be an object`);
      }
    });
  }

  const validEdges: WorkflowEdgeDefinition[] = [];
  if (def.edges !== undefined && !Array.isArray(def.edges)) {
    add('invalid_field', 'edges', 'workflow.edges must be an array');
  } else if (Array.isArray(def.edges)) {
    const edgeIds = new Map<string, number>();
    def.edges.forEach((edge: unknown, i: number) => {
      const at = `edges[${i}]`;
      if (!isObject(edge)) return add('invalid_field', at, `${at} must be an object with source and target`);
      const name = isNonEmptyString(edge.id) ? `edge "${edge.id}" (${at})` : at;
      if (edge.id !== undefined && edge.id !== null) {
        if (!isNonEmptyString(edge.id)) add('invalid_field', `${at}.id`, `${at}.id must be a non-empty string`);
        else {
          const first = edgeIds.get(edge.id);
          if (first !== undefined) add('duplicate_edge', `${at}.id`, `duplicate edge id "${edge.id}" (edges[${first}] and ${at})`);
          else edgeIds.set(edge.id, i);
        }
      }
      let ok = true;
      for (const end of ['source', 'target'] as const) {
        const ref = edge[end];
        if (ref === undefined) {
          add('missing_field', `${at}.${end}`, `${name} has no ${end}`);
          ok = false;
        } else if (!isNonEmptyString(ref)) {
          add('invalid_field', `${at}.${end}`, `${name}: ${end} must be a non-empty string`);
          ok = false;
        } else if (Array.isArray(def.nodes) && !nodeIds.has(ref)) {
          add('unknown_node', `${at}.${end}`, `${name} references unknown ${end} node "${ref}"`, [ref]);
          ok = false;
        }
      }
      if (ok) validEdges.push(edge as unknown as WorkflowEdgeDefinition);
    });
  }

  // Cycles are only meaningful once the node set is known; a cycle through an
  // unknown node is already reported as that unknown node.
  if (nodeIds.size > 0) {
    const cycle = findCycle([...nodeIds.keys()], validEdges);
    if (cycle) {
      add('cycle', 'edges', `cycle detected: ${[...cycle, cycle[0]].join(' → ')}`, cycle);
    }
  }
  return problems;
}

/**
 * One node on a cycle, walked in edge order, or `undefined` for a DAG.
 * Iterative so that a long chain cannot overflow the stack.
 */
function findCycle(ids: string[], edges: WorkflowEdgeDefinition[]): string[] | undefined {
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) next.get(e.source)?.push(e.target);
  const state = new Map<string, 1 | 2>(); // 1 on the current path, 2 finished
  for (const root of ids) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
    state.set(root, 1);
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = next.get(top.id)!;
      if (top.i >= succ.length) {
        state.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const to = succ[top.i++]!;
      const s = state.get(to);
      if (s === 1) return path.slice(path.indexOf(to));
      if (s === undefined) {
        state.set(to, 1);
        path.push(to);
        stack.push({ id: to, i: 0 });
      }
    }
  }
  return undefined;
}

/**
 * A validated workflow indexed for running: topological order and adjacency.
 *
 * @example
 * const plan = planWorkflow(def);
 * plan.order; // ['load', 'clean', 'publish']
 */
export interface WorkflowPlan {
  /** Topological order; among nodes ready at once, declaration order wins, so it is deterministic. */
  order: string[];
  /** Position of each node in `order`, to start ready nodes in that order. */
  rank: Map<string, number>;
  nodes: Map<string, WorkflowNodeDefinition>;
  incoming: Map<string, WorkflowEdgeDefinition[]>;
  outgoing: Map<string, WorkflowEdgeDefinition[]>;
}

/**
 * Indexes a workflow that {@link validateWorkflow} accepted. Throws
 * {@link WorkflowValidationError} for one it would not (node types aside).
 *
 * @example
 * planWorkflow({ id: 'w', nodes: [{ id: 'b', type: 'x' }, { id: 'a', type: 'x' }], edges: [{ source: 'a', target: 'b' }] }).order;
 * // ['a', 'b']
 */
export function planWorkflow(def: WorkflowDefinition): WorkflowPlan {
  const problems = validateWorkflow(def);
  if (problems.length > 0) throw new WorkflowValidationError(problems);
  const edges = def.edges ?? [];
  const nodes = new Map(def.nodes.map((n) => [n.id, n]));
  const declared = new Map(def.nodes.map((n, i) => [n.id, i]));
  const incoming = new Map<string, WorkflowEdgeDefinition[]>(def.nodes.map((n) => [n.id, []]));
  const outgoing = new Map<string, WorkflowEdgeDefinition[]>(def.nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    incoming.get(e.target)!.push(e);
    outgoing.get(e.source)!.push(e);
  }
  // Kahn's algorithm; the ready list is kept sorted by declaration index.
  const waiting = new Map(def.nodes.map((n) => [n.id, incoming.get(n.id)!.length]));
  const ready = def.nodes.filter((n) => waiting.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of outgoing.get(id)!) {
      const left = waiting.get(e.target)! - 1;
      waiting.set(e.target, left);
      if (left === 0) insertSorted(ready, e.target, (x) => declared.get(x)!);
    }
  }
  return { order, rank: new Map(order.map((id, i) => [id, i])), nodes, incoming, outgoing };
}

/**
 * Inserts keeping `list` ascending by `key`, after any equal keys. A binary
 * search: a node fanning out to thousands becomes thousands of inserts.
 *
 * @example
 * insertSorted(ready, 'c', (id) => rank.get(id)!);
 */
export function insertSorted(list: string[], item: string, key: (id: string) => number): void {
  const k = key(item);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]!) > k) hi = mid;
    else lo = mid + 1;
  }
  list.splice(lo, 0, item);
}
