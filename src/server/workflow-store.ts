import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateWorkflow, WorkflowValidationError, type NodeTypeLookup } from './graph';
import { jsonMemoryCost } from './json-safe';
import type { WorkflowDefinition } from './workflow';

/**
 * A workflow in a listing.
 *
 * @example
 * { id: 'linear-pipeline', name: 'Linear pipeline', nodeCount: 5 }
 */
export interface WorkflowSummary {
  id: string;
  name: string;
  nodeCount: number;
}

/**
 * What all stored definitions together may cost unless told otherwise (see {@link WorkflowStore}).
 *
 * @example
 * new WorkflowStore(nodeTypes, 1000, DEFAULT_MAX_WORKFLOW_BYTES / 4);
 */
export const DEFAULT_MAX_WORKFLOW_BYTES = 64 * 1024 * 1024;

/**
 * The server's workflow definitions: loaded from a folder of JSON files, or
 * registered in memory (`PUT`). Every definition is validated on the way in
 * and stored as a copy, so a later edit of the caller's object cannot change
 * a definition behind the server's back.
 *
 * @example
 * const store = new WorkflowStore(nodeTypes);
 * await store.loadDirectory('./workflows');
 * store.get('linear-pipeline');
 */
export class WorkflowStore {
  readonly #defs = new Map<string, WorkflowDefinition>();
  /** What each definition is charged against `maxTotalBytes`. */
  readonly #costs = new Map<string, number>();
  #totalCost = 0;
  readonly #nodeTypes: NodeTypeLookup | undefined;
  readonly #maxWorkflows: number;
  readonly #maxTotalBytes: number;

  /**
   * @param nodeTypes checked by validation; omitted, any type is accepted.
   * @param maxWorkflows cap on stored definitions, since `PUT` lets any client add one. @default 1000
   * @param maxTotalBytes budget of all definitions together, counted as their JSON length plus
   *   64 bytes per object or array and 8 per other value: a thousand bodies of small objects would otherwise hold gigabytes.
   *   @default 67_108_864 (64 MiB)
   */
  constructor(nodeTypes?: NodeTypeLookup, maxWorkflows = 1000, maxTotalBytes = DEFAULT_MAX_WORKFLOW_BYTES) {
    this.#nodeTypes = nodeTypes;
    this.#maxWorkflows = maxWorkflows;
    this.#maxTotalBytes = maxTotalBytes;
  }

  /**
   * Whether a new definition (not a replacement) would exceed the cap.
   *
   * @example
   * if (!store.get(id) && store.isFull()) reject();
   */
  isFull(): boolean {
    return this.#defs.size >= this.#maxWorkflows;
  }

  /**
   * Validates and stores a definition; returns true if it is new, false if it replaced one.
   * Throws {@link WorkflowValidationError}, or a RangeError when a new one would exceed the cap
   * or the definitions together would exceed `maxTotalBytes`.
   *
   * @example
   * const created = store.put(def);
   */
  put(def: unknown): boolean {
    const problems = validateWorkflow(def, { nodeTypes: this.#nodeTypes });
    if (problems.length > 0) throw new WorkflowValidationError(problems);
    const copy = structuredClone(def) as WorkflowDefinition;
    const created = !this.#defs.has(copy.id);
    if (created && this.isFull()) throw new RangeError(`workflow limit reached (${this.#maxWorkflows}); replace an existing one`);
    const cost = jsonMemoryCost(JSON.stringify(copy));
    const total = this.#totalCost - (this.#costs.get(copy.id) ?? 0) + cost;
    if (total > this.#maxTotalBytes) {
      throw new RangeError(`workflow storage budget reached (${this.#maxTotalBytes} bytes); replace or shrink a definition`);
    }
    this.#defs.set(copy.id, copy);
    this.#costs.set(copy.id, cost);
    this.#totalCost = total;
    return created;
  }

  /**
   * A definition by id.
   *
   * @example
   * store.get('failing-run')?.nodes.length;
   */
  get(id: string): WorkflowDefinition | undefined {
    return this.#defs.get(id);
  }

  /**
   * Every definition, summarized, sorted by id.
   *
   * @example
   * store.list(); // [{ id: 'failing-run', name: 'Failing run', nodeCount: 6 }, …]
   */
  list(): WorkflowSummary[] {
    return [...this.#defs.values()]
      .map((d) => ({ id: d.id, name: d.name ?? d.id, nodeCount: d.nodes.length }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Loads every `*.json` file of a folder (each one definition). Fails on
   * the first file that is not valid JSON, not a valid workflow, or repeats
   * another file's id, naming the file: a broken sample should be noticed at
   * start-up, not when someone runs it.
   *
   * @example
   * await store.loadDirectory(fileURLToPath(new URL('../workflows', import.meta.url)));
   */
  async loadDirectory(dir: string): Promise<string[]> {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    const loaded: string[] = [];
    const seen = new Map<string, string>();
    for (const file of files) {
      const path = join(dir, file);
      let def: unknown;
      try {
        def = JSON.parse(await readFile(path, 'utf8'));
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
      const problems = validateWorkflow(def, { nodeTypes: this.#nodeTypes });
      if (problems.length > 0) throw new Error(`${path}: ${problems.map((p) => p.message).join('; ')}`);
      const id = (def as WorkflowDefinition).id;
      const other = seen.get(id);
      if (other) throw new Error(`${path}: workflow id "${id}" is already used by ${other}`);
      seen.set(id, file);
      try {
        this.put(def);
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
      loaded.push(id);
    }
    return loaded;
  }
}
