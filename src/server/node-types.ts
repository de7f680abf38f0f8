import type { LogLevel } from '../protocol';
import { INITIAL_INPUTS_KEY, type NodeTypeLookup } from './graph';
import { sleep } from './sleep';
import type { WorkflowNodeDefinition } from './workflow';

/**
 * What a node's executor receives: its inputs keyed by predecessor id (in
 * edge order) plus `initial_inputs`, its config, and a way to log and to
 * notice that the run was stopped.
 *
 * @example
 * const executor: NodeExecutor = async ({ inputs, config, log, signal }) => {
 *   log(`got ${Object.keys(inputs).length - 1} inputs`);
 *   await sleep(Number(config.ms ?? 0), signal);
 *   return inputs.initial_inputs;
 * };
 */
export interface NodeContext {
  /** Predecessor results by node id, and the run's initial inputs under `initial_inputs`. */
  inputs: NodeInputs;
  /** The node's `config`. @default {} */
  config: Record<string, unknown>;
  node: WorkflowNodeDefinition;
  workflowId: string;
  executionId: string;
  /** Sends a `log` line carrying this node's id. @default level 'info' */
  log(message: string, level?: LogLevel): void;
  /** Aborts when the run stops (another node failed, or it was cancelled); long work should honour it. */
  signal: AbortSignal;
}

/**
 * A node's inputs: one entry per predecessor, keyed by its id, plus `initial_inputs`.
 *
 * @example
 * const inputs: NodeInputs = { initial_inputs: { userId: 7 }, load: { rows: 12 } };
 */
export type NodeInputs = Record<string, unknown> & { initial_inputs: Record<string, unknown> };

/**
 * Runs one node. Whatever it returns (or resolves to) is the node's result;
 * throwing (or rejecting) fails the node and stops the run.
 *
 * @example
 * registry.register('double', ({ inputs }) => Number(inputs.initial_inputs.n) * 2);
 */
export type NodeExecutor = (ctx: NodeContext) => unknown;

/**
 * The node types a server or engine can run, by name.
 *
 * @example
 * const types = createBuiltinNodeTypes().register('http', async ({ config, signal }) =>
 *   (await fetch(String(config.url), { signal })).json());
 */
export class NodeTypeRegistry implements NodeTypeLookup {
  readonly #executors = new Map<string, NodeExecutor>();

  /**
   * Adds or replaces a node type.
   *
   * @example
   * registry.register('noop', () => null);
   */
  register(type: string, executor: NodeExecutor): this {
    if (typeof type !== 'string' || type.length === 0) throw new TypeError('node type must be a non-empty string');
    if (typeof executor !== 'function') throw new TypeError(`executor for "${type}" must be a function`);
    this.#executors.set(type, executor);
    return this;
  }

  /**
   * Removes a node type; returns whether it existed.
   *
   * @example
   * registry.unregister('random');
   */
  unregister(type: string): boolean {
    return this.#executors.delete(type);
  }

  /**
   * The executor of a type, or `undefined`.
   *
   * @example
   * registry.get('delay');
   */
  get(type: string): NodeExecutor | undefined {
    return this.#executors.get(type);
  }

  /**
   * Whether a type is registered.
   *
   * @example
   * registry.has('merge'); // true for the built-ins
   */
  has(type: string): boolean {
    return this.#executors.has(type);
  }

  /**
   * Registered type names, in registration order.
   *
   * @example
   * createBuiltinNodeTypes().types(); // ['start', 'input', 'delay', ...]
   */
  types(): string[] {
    return [...this.#executors.keys()];
  }

  /**
   * A copy, so one engine's registrations do not leak into another's.
   *
   * @example
   * const mine = shared.clone().register('custom', fn);
   */
  clone(): NodeTypeRegistry {
    const copy = new NodeTypeRegistry();
    for (const [type, executor] of this.#executors) copy.register(type, executor);
    return copy;
  }
}

/**
 * Options of {@link createBuiltinNodeTypes}.
 *
 * @example
 * createBuiltinNodeTypes({ random: () => 0.99 }); // `random` nodes never fail
 */
export interface BuiltinNodeTypeOptions {
  /** Source of randomness for the `random` type, in [0, 1). @default Math.random */
  random?: (() => number) | undefined;
  /**
   * Longest text a `template` transform or a `config.log` line may render to,
   * in characters; past it the node fails with "rendered template longer
   * than … characters".
   * @default 1_048_576 (MAX_TEMPLATE_CHARS)
   * @example
   * createBuiltinNodeTypes({ maxTemplateChars: 64 * 1024 });
   */
  maxTemplateChars?: number | undefined;
}

/**
 * The value a node works on: the only predecessor's result, or the initial
 * inputs when there is none, or all predecessor results keyed by id.
 *
 * @example
 * upstreamValue({ initial_inputs: {}, load: [1, 2] }); // [1, 2]
 */
export function upstreamValue(inputs: NodeInputs): unknown {
  const keys = Object.keys(inputs).filter((k) => k !== INITIAL_INPUTS_KEY);
  if (keys.length === 0) return inputs.initial_inputs;
  if (keys.length === 1) return inputs[keys[0]!];
  return Object.fromEntries(keys.map((k) => [k, inputs[k]]));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numberConfig(config: Record<string, unknown>, key: string, fallback: number, max = Infinity): number {
  const v = config[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
    throw new Error(`config.${key} must be a number between 0 and ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Reads a dotted path (`input.user.name`) from a value; missing parts give `undefined`. */
function readPath(root: unknown, path: string): unknown {
  let v = root;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * The longest text {@link renderTemplate} builds unless told otherwise, in
 * UTF-16 characters: a template that repeats `{{ node }}` (the node's own
 * definition, template included) would otherwise grow with the square of
 * its size and take the process down.
 *
 * @example
 * renderTemplate(template, scope, MAX_TEMPLATE_CHARS / 4);
 */
export const MAX_TEMPLATE_CHARS = 1024 * 1024;

/**
 * Fills `{{ path }}` placeholders from `scope`; objects are inserted as JSON,
 * missing values as the empty string. Throws a RangeError, before building
 * it, when the text would be longer than `maxChars`.
 *
 * @example
 * renderTemplate('Hello {{ input.name }}', { input: { name: 'Ada' } }); // 'Hello Ada'
 * @default maxChars MAX_TEMPLATE_CHARS (1_048_576)
 */
export function renderTemplate(template: string, scope: Record<string, unknown>, maxChars = MAX_TEMPLATE_CHARS): string {
  const parts: string[] = [];
  let length = 0;
  const add = (text: string) => {
    length += text.length;
    if (length > maxChars) throw new RangeError(`rendered template longer than ${maxChars} characters`);
    parts.push(text);
  };
  // One serialization per path: a placeholder repeated thousands of times costs one JSON.stringify.
  const rendered = new Map<string, string>();
  const placeholder = /\{\{\s*([\w.$-]+)\s*\}\}/g;
  let last = 0;
  for (let m = placeholder.exec(template); m !== null; m = placeholder.exec(template)) {
    add(template.slice(last, m.index));
    last = m.index + m[0].length;
    const path = m[1]!;
    let text = rendered.get(path);
    if (text === undefined) {
      const v = readPath(scope, path);
      text = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
      rendered.set(path, text);
    }
    add(text);
  }
  add(template.slice(last));
  return parts.join('');
}

function changeCase(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? f(v) : v));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? f(v) : v]));
  }
  return value;
}

const TRANSFORM_OPS = ['passthrough', 'uppercase', 'lowercase', 'template', 'pick', 'set'] as const;

function transform(ctx: NodeContext, maxTemplateChars: number): unknown {
  const { config, inputs } = ctx;
  const input = upstreamValue(inputs);
  const op = config.op ?? (config.template !== undefined ? 'template' : config.values !== undefined ? 'set' : 'passthrough');
  switch (op) {
    case 'passthrough':
      return input;
    case 'uppercase':
      return changeCase(input, (s) => s.toUpperCase());
    case 'lowercase':
      return changeCase(input, (s) => s.toLowerCase());
    case 'template': {
      if (typeof config.template !== 'string') throw new Error('config.template must be a string');
      const text = renderTemplate(
        config.template,
        { input, inputs, initial_inputs: inputs.initial_inputs, node: ctx.node },
        maxTemplateChars,
      );
      return typeof config.output === 'string' ? { [config.output]: text } : text;
    }
    case 'pick': {
      const fields = config.fields;
      if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) {
        throw new Error('config.fields must be an array of strings');
      }
      if (!isObject(input)) throw new Error('pick needs an object input');
      return Object.fromEntries(fields.filter((f) => f in input).map((f) => [f, input[f]]));
    }
    case 'set': {
      if (!isObject(config.values)) throw new Error('config.values must be an object');
      return isObject(input) ? { ...input, ...config.values } : { value: input, ...config.values };
    }
    default:
      throw new Error(`unknown transform op ${JSON.stringify(op)} (one of ${TRANSFORM_OPS.join(', ')})`);
  }
}

function merge({ inputs, config }: NodeContext): unknown {
  const keys = Object.keys(inputs).filter((k) => k !== INITIAL_INPUTS_KEY);
  const mode = config.mode ?? 'object';
  if (mode === 'object') return Object.fromEntries(keys.map((k) => [k, inputs[k]]));
  if (mode === 'array') return keys.map((k) => inputs[k]);
  if (mode === 'shallow') return Object.assign({}, ...keys.map((k) => (isObject(inputs[k]) ? inputs[k] : {})));
  throw new Error(`unknown merge mode ${JSON.stringify(mode)} (one of object, array, shallow)`);
}

/**
 * Wraps a built-in so that every one honours `config.ms` (wait first,
 * abortably) and `config.log` (one info line), which keeps sample workflows
 * watchable without a special node type for each.
 */
function withCommonConfig(executor: NodeExecutor, maxTemplateChars: number, defaultMs = 0): NodeExecutor {
  return async (ctx) => {
    const ms = numberConfig(ctx.config, 'ms', defaultMs, 600_000);
    if (typeof ctx.config.log === 'string') {
      ctx.log(renderTemplate(ctx.config.log, { input: upstreamValue(ctx.inputs), node: ctx.node }, maxTemplateChars));
    }
    if (ms > 0) await sleep(ms, ctx.signal);
    return executor(ctx);
  };
}

/**
 * A registry with the built-in node types. Every built-in waits `config.ms`
 * first (abortably) and logs `config.log` if given.
 *
 * - `start` / `input`: the run's initial inputs over `config.defaults`.
 * - `delay`: waits `config.ms` (default 300), returns `config.result` or the upstream value.
 * - `transform`: `config.op` one of `passthrough`, `uppercase`, `lowercase`,
 *   `template` (`config.template` with `{{ input.x }}` placeholders, optional
 *   `config.output` key), `pick` (`config.fields`), `set` (`config.values`).
 * - `merge`: predecessor results as an object by id (`config.mode` `object`),
 *   a list (`array`) or one merged object (`shallow`).
 * - `fail`: throws `config.message`.
 * - `random`: fails with probability `config.failureRate` (default 0.5), else passes upstream on.
 * - `output`: returns the upstream value.
 *
 * @example
 * const types = createBuiltinNodeTypes({ random: seededRandom(42) });
 * @default options.random Math.random, options.maxTemplateChars 1_048_576
 */
export function createBuiltinNodeTypes(options: BuiltinNodeTypeOptions = {}): NodeTypeRegistry {
  const random = options.random ?? Math.random;
  const maxChars = options.maxTemplateChars ?? MAX_TEMPLATE_CHARS;
  if (!(maxChars >= 0)) throw new RangeError(`maxTemplateChars must be a number ≥ 0, got ${maxChars}`);
  const common = (executor: NodeExecutor, defaultMs = 0) => withCommonConfig(executor, maxChars, defaultMs);
  const start: NodeExecutor = ({ inputs, config }) =>
    isObject(config.defaults) ? { ...config.defaults, ...inputs.initial_inputs } : inputs.initial_inputs;
  return new NodeTypeRegistry()
    .register('start', common(start))
    .register('input', common(start))
    .register(
      'delay',
      common(({ config, inputs }) => (config.result !== undefined ? config.result : upstreamValue(inputs)), 300),
    )
    .register(
      'transform',
      common((ctx) => transform(ctx, maxChars)),
    )
    .register('merge', common(merge))
    .register(
      'fail',
      common(({ config }) => {
        throw new Error(typeof config.message === 'string' ? config.message : 'node failed');
      }),
    )
    .register(
      'random',
      common(({ config, inputs }) => {
        const rate = numberConfig(config, 'failureRate', 0.5, 1);
        if (random() < rate) {
          throw new Error(typeof config.message === 'string' ? config.message : `random failure (failure rate ${rate})`);
        }
        return upstreamValue(inputs);
      }),
    )
    .register(
      'output',
      common(({ inputs }) => upstreamValue(inputs)),
    );
}
