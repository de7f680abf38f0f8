// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createBuiltinNodeTypes, planWorkflow, validateWorkflow, WorkflowValidationError } from 'flowpulse/server';
import fc from 'fast-check';
import { insertSorted } from '../../src/server/graph';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const nodeTypes = createBuiltinNodeTypes();
const n = (id: string, type = 'delay') => ({ id, type });
const messages = (def: unknown) => validateWorkflow(def, { nodeTypes }).map((p) => p.message);

describe('validateWorkflow', () => {
  it('accepts a valid DAG', () => {
    expect(validateWorkflow({ id: 'w', name: 'W', nodes: [n('a'), n('b')], edges: [{ source: 'a', target: 'b' }] }, { nodeTypes })).toEqual(
      [],
    );
    expect(validateWorkflow({ id: 'w', nodes: [n('a')] })).toEqual([]); // name and edges are optional
  });

  it('names the nodes of a cycle, in order', () => {
    const def = {
      id: 'w',
      name: 'W',
      nodes: [n('start'), n('a'), n('b'), n('c')],
      edges: [
        { source: 'start', target: 'a' },
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
      ],
    };
    const problems = validateWorkflow(def, { nodeTypes });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'cycle', nodeIds: ['a', 'b', 'c'] });
    expect(problems[0]!.message).toBe('cycle detected: a → b → c → a');
    expect(messages({ id: 'w', nodes: [n('x')], edges: [{ source: 'x', target: 'x' }] })).toEqual(['cycle detected: x → x']);
  });

  it('names unknown nodes referenced by edges, unknown types and duplicate ids', () => {
    const problems = messages({
      id: 'w',
      name: 'W',
      nodes: [n('a'), n('b', 'teleport'), n('a')],
      edges: [
        { id: 'e1', source: 'a', target: 'ghost' },
        { source: 'phantom', target: 'b' },
      ],
    });
    expect(problems).toEqual([
      'node "b" has unknown type "teleport"',
      'duplicate node id "a" (nodes[0] and nodes[2])',
      'edge "e1" (edges[0]) references unknown target node "ghost"',
      'edges[1] references unknown source node "phantom"',
    ]);
  });

  it('reports missing and mistyped fields', () => {
    expect(messages(null)).toEqual(['workflow must be a JSON object with id, name, nodes and edges']);
    expect(messages([])).toHaveLength(1);
    expect(messages({})).toEqual(['workflow.id is required', 'workflow.nodes is required']);
    expect(messages({ id: 3, name: 4, nodes: {}, edges: 'x' })).toEqual([
      'workflow.id must be a non-empty string',
      'workflow.name must be a string',
      'workflow.nodes must be an array',
      'workflow.edges must be an array',
    ]);
    expect(messages({ id: 'w', nodes: [] })).toEqual(['workflow.nodes must contain at least one node']);
    expect(
      messages({
        id: 'w',
        nodes: [
          { type: 'delay' },
          { id: 'b' },
          'c',
          { id: 'd', type: 'delay', label: 1, config: [] },
          { id: 'initial_inputs', type: 'delay' },
        ],
        edges: [{ source: 'd' }, null, { id: 'e', source: 'd', target: 'd2' }, { id: 'e', source: 1, target: 'd' }],
      }),
    ).toEqual([
      'nodes[0].id is required',
      'node "b" (nodes[1]) has no type',
      'nodes[2] must be an object with id and type',
      'node "d": label must be a string',
      'node "d": config must be an object',
      'nodes[4].id "initial_inputs" is reserved for the run\'s initial inputs',
      'edges[0] has no target',
      'edges[1] must be an object with source and target',
      'edge "e" (edges[2]) references unknown target node "d2"',
      'duplicate edge id "e" (edges[2] and edges[3])',
      'edge "e" (edges[3]): source must be a non-empty string',
    ]);
  });

  it('skips the node type check without a registry', () => {
    expect(validateWorkflow({ id: 'w', nodes: [n('a', 'anything')] })).toEqual([]);
  });

  it('finds cycles in long graphs without recursion limits', () => {
    const nodes = Array.from({ length: 20_000 }, (_, i) => n(`n${i}`));
    const edges = nodes.slice(1).map((node, i) => ({ source: nodes[i]!.id, target: node.id }));
    expect(validateWorkflow({ id: 'w', nodes, edges })).toEqual([]);
    edges.push({ source: 'n19999', target: 'n0' });
    expect(validateWorkflow({ id: 'w', nodes, edges })[0]?.code).toBe('cycle');
  });

  it('the shipped sample workflows are valid', () => {
    const dir = join(import.meta.dirname, '..', '..', 'workflows');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['linear-pipeline.json', 'parallel-branches.json', 'failing-run.json']));
    for (const f of files) {
      const def = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(validateWorkflow(def, { nodeTypes }), f).toEqual([]);
      expect(def.id).toBe(f.replace(/\.json$/, ''));
    }
  });
});

describe('planWorkflow', () => {
  it('orders topologically, ties broken by declaration order', () => {
    const plan = planWorkflow({
      id: 'w',
      nodes: [n('join'), n('b'), n('a'), n('root')],
      edges: [
        { source: 'root', target: 'b' },
        { source: 'root', target: 'a' },
        { source: 'a', target: 'join' },
        { source: 'b', target: 'join' },
      ],
    });
    expect(plan.order).toEqual(['root', 'b', 'a', 'join']);
    expect(plan.incoming.get('join')!.map((e) => e.source)).toEqual(['a', 'b']);
  });

  it('throws WorkflowValidationError with every problem', () => {
    try {
      planWorkflow({ id: 'w', nodes: [n('a'), n('a')], edges: [{ source: 'a', target: 'zz' }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WorkflowValidationError);
      expect((e as WorkflowValidationError).problems.map((p) => p.code)).toEqual(['duplicate_node', 'unknown_node']);
      expect((e as Error).message).toContain('duplicate node id "a"');
    }
  });
});

describe('insertSorted', () => {
  it('keeps the list ordered by key, later equal keys after earlier ones, for any insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (ranks) => {
        const rank = new Map(ranks.map((r, i) => [`n${i}`, r]));
        const list: string[] = [];
        for (const id of rank.keys()) insertSorted(list, id, (x) => rank.get(x)!);
        const expected = [...rank.keys()].sort((a, b) => rank.get(a)! - rank.get(b)!); // stable
        expect(list).toEqual(expected);
      }),
    );
  });
});
