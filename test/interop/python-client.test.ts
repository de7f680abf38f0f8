// @vitest-environment node
/**
 * A Python client written to the seed design (seed_client.py, asyncio +
 * websockets) against our Node server, and our JSON Schema as Python's
 * jsonschema reads it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateServerMessage } from 'flowpulse';
import { createFlowpulseServer, type FlowpulseServer } from 'flowpulse/server';
import { specMessages } from '../fixtures';
import { FIXTURES_DIR, lastJsonLine, pythonInteropRuns, runPython, SCHEMA_PATH } from './python';

const WORKFLOWS_DIR = join(import.meta.dirname, '..', '..', 'workflows');

interface Summary {
  pong: unknown;
  pong_exact: boolean;
  post_status: number;
  execution_id: string;
  message_count: number;
  types: string[];
  ignored_types: string[];
  node_statuses: Record<string, string>;
  node_results: Record<string, unknown>;
  success: boolean;
  execution_time: number;
  errors: unknown[];
  schema_errors: { index: number; type: string; errors: string[] }[];
}

describe.runIf(pythonInteropRuns)('Python seed client ↔ flowpulse server', () => {
  let server: FlowpulseServer;
  let port: number;

  beforeAll(async () => {
    server = createFlowpulseServer({ port: 0, workflowsDir: WORKFLOWS_DIR });
    ({ port } = await server.listen());
  });

  afterAll(async () => {
    await server?.close();
  });

  const follow = async (workflowId: string): Promise<Summary> =>
    lastJsonLine(await runPython(['seed_client.py', `127.0.0.1:${port}`, workflowId, SCHEMA_PATH], { timeoutMs: 18_000 })) as Summary;

  const nodeIds = (workflowId: string) => server.workflows.get(workflowId)!.nodes.map((n) => n.id);

  it('follows a successful run: exact pong, seed messages only, every node completed, all schema-valid', async () => {
    const summary = await follow('linear-pipeline');
    expect(summary.pong).toEqual({ type: 'pong', workflow_id: 'linear-pipeline' });
    expect(summary.pong_exact).toBe(true);
    expect(summary.post_status).toBe(202);
    expect(summary.types[0]).toBe('workflow_start');
    expect(summary.types.at(-1)).toBe('workflow_complete');
    expect(new Set(summary.types)).toEqual(new Set(['workflow_start', 'node_status', 'edge_flow', 'progress', 'log', 'workflow_complete']));
    // Extensions a seed client does not know: the catch-up snapshot on connect, nothing else unasked.
    expect(summary.ignored_types).toEqual(['snapshot']);
    const ids = nodeIds('linear-pipeline');
    expect(summary.node_statuses).toEqual(Object.fromEntries(ids.map((id) => [id, 'completed'])));
    expect(Object.keys(summary.node_results).sort()).toEqual([...ids].sort());
    expect(summary.success).toBe(true);
    expect(summary.errors).toEqual([]);
    expect(summary.execution_time).toBeGreaterThan(0);
    expect(summary.schema_errors).toEqual([]);
  });

  it('follows a failing run: the failing node in error, success false, all schema-valid', async () => {
    const summary = await follow('failing-run');
    expect(summary.pong_exact).toBe(true);
    expect(summary.types[0]).toBe('workflow_start');
    expect(summary.types.at(-1)).toBe('workflow_complete');
    expect(summary.types).toContain('error');
    expect(summary.node_statuses).toMatchObject({ 'receive-order': 'completed', 'reserve-stock': 'completed', 'charge-card': 'error' });
    expect(Object.values(summary.node_statuses)).not.toContain('running');
    expect(summary.success).toBe(false);
    expect(summary.errors).toEqual([expect.stringContaining('Payment API returned 503')]);
    expect(summary.schema_errors).toEqual([]);
  });

  it("Python's jsonschema accepts every spec example (and integer ids, errors=None) and rejects broken ones, as our parser does", async () => {
    const broken: Record<string, unknown> = {
      'broken: node_status "done"': {
        ...specMessages.node_status_running,
        data: { ...specMessages.node_status_running.data, status: 'done' },
      },
      'broken: log level "debug"': { ...specMessages.log, data: { ...specMessages.log.data, level: 'debug' } },
      'broken: workflow_complete with errors "none"': {
        ...specMessages.workflow_complete,
        data: { ...specMessages.workflow_complete.data, errors: 'none' },
      },
      'broken: timestamp "yesterday"': { ...specMessages.progress, timestamp: 'yesterday' },
      'broken: pong without workflow_id': { type: 'pong' },
    };
    // What real Python backends send that is still valid: integer ids, errors=None.
    const sloppy: Record<string, unknown> = {
      'sloppy: integer ids': {
        ...specMessages.node_status_running,
        data: { ...specMessages.node_status_running.data, workflow_id: 123, node_id: 1 },
      },
      'sloppy: workflow_complete with errors None': {
        ...specMessages.workflow_complete,
        data: { ...specMessages.workflow_complete.data, errors: null },
      },
      'sloppy: pong with an integer workflow_id': { type: 'pong', workflow_id: 123 },
    };
    const { results } = lastJsonLine(
      await runPython(['validate_messages.py', SCHEMA_PATH, FIXTURES_DIR], { input: JSON.stringify({ ...broken, ...sloppy }) }),
    ) as {
      results: Record<string, string[]>;
    };
    const fixtures = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.json'));
    expect(fixtures).toHaveLength(10);
    expect(Object.keys(results).sort()).toEqual([...fixtures, ...Object.keys(broken), ...Object.keys(sloppy)].sort());
    for (const name of Object.keys(sloppy)) {
      expect(results[name], name).toEqual([]);
      expect(validateServerMessage(JSON.parse(JSON.stringify(sloppy[name]))).ok, name).toBe(true);
    }
    for (const f of fixtures) expect(results[f], f).toEqual([]);
    for (const name of Object.keys(broken)) {
      expect(results[name]!.length, name).toBeGreaterThan(0);
      // Our own parser agrees with the schema, across languages.
      expect(validateServerMessage(JSON.parse(JSON.stringify(broken[name]))).ok, name).toBe(false);
    }
    for (const f of fixtures) expect(validateServerMessage(specMessages[f.replace(/\.json$/, '')]).ok, f).toBe(true);
  });
});
