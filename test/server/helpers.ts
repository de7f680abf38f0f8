import Ajv from 'ajv';
import { expect } from 'vitest';
import { messagesSchema, validateServerMessage, type ExecutionMessage } from 'flowpulse/protocol';
import type { WorkflowDefinition } from 'flowpulse/server';

const schema = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(messagesSchema);

/** Asserts a received message passes both the protocol validator and the JSON Schema. */
export function expectValidMessage(message: unknown): void {
  const r = validateServerMessage(message);
  expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  expect(schema(message), JSON.stringify(schema.errors)).toBe(true);
}

/** Asserts `seq` is 1, 2, 3… over one execution's messages. */
export function expectSeqFromOne(messages: ExecutionMessage[]): void {
  expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
}

/** A compact trace: `type` or `type:node:status`, for order assertions. */
export function trace(messages: ExecutionMessage[]): string[] {
  return messages.map((m) => {
    switch (m.type) {
      case 'node_status':
        return `node_status:${m.data.node_id}:${m.data.status}`;
      case 'edge_flow':
        return `edge_flow:${m.data.source_node_id}->${m.data.target_node_id}`;
      case 'progress':
        return `progress:${m.data.current_step}/${m.data.total_steps}`;
      case 'log':
        return `log:${m.data.level}`;
      default:
        return m.type;
    }
  });
}

/** A linear chain of `delay` nodes with a short delay each. */
export function chain(id: string, n: number, ms = 5): WorkflowDefinition {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i + 1}`, type: 'delay', label: `Step ${i + 1}`, config: { ms } }));
  const edges = nodes.slice(1).map((node, i) => ({ id: `e${i + 1}`, source: nodes[i]!.id, target: node.id }));
  return { id, name: `Chain ${id}`, nodes, edges };
}
