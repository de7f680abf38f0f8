/**
 * What the shared flow index buys: 2000 edges on a canvas, each asking for its
 * newest flow after a store update, with 1000 flows live (a flood of
 * `edge_flow` messages over the last 3 s). A scan of the list per edge grows
 * with edges × flows; the index is built once per list and then looked up.
 * Run: npm run bench
 */
import { bench, describe } from 'vitest';
import type { EdgeFlow } from 'flowpulse';
import { latestEdgeFlow } from 'flowpulse/flow';

const EDGES = 2000;
const FLOWS = 1000;
const edges = Array.from({ length: EDGES }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` }));
const flowList = (round: number): EdgeFlow[] =>
  Array.from({ length: FLOWS }, (_, i) => {
    const edge = edges[(i * 7 + round) % EDGES]!;
    return {
      id: `x:${round}:${i}`,
      sourceNodeId: edge.source,
      targetNodeId: edge.target,
      edgeId: edge.id,
      data: null,
      timestamp: '2025-11-13T10:30:00.000000',
      receivedAt: i,
      expiresAt: i + 3000,
    };
  });
// A new list per update, as the store publishes one per batch.
const updates = Array.from({ length: 8 }, (_, round) => flowList(round));

/** The per-edge scan the canvas did before: newest first through the whole list. */
function scan(flows: readonly EdgeFlow[], edgeId: string, source: string, target: string): EdgeFlow | undefined {
  for (let i = flows.length - 1; i >= 0; i--) {
    const flow = flows[i]!;
    if (flow.edgeId === edgeId || (flow.sourceNodeId === source && flow.targetNodeId === target && flow.edgeId === null)) return flow;
  }
  return undefined;
}

describe(`${EDGES} edges select their flow after a store update, ${FLOWS} flows live`, () => {
  let round = 0;
  bench('a scan of the flow list per edge (before)', () => {
    const flows = updates[round++ % updates.length]!;
    for (const e of edges) scan(flows, e.id, e.source, e.target);
  });

  bench('one shared index per flow list (flowpulse)', () => {
    const flows = [...updates[round++ % updates.length]!]; // a list the index has not seen
    for (const e of edges) latestEdgeFlow(flows, e.id, e.source, e.target, () => true);
  });
});
