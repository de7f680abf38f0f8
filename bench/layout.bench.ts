/**
 * What ranking large graphs the quick way buys: laying out an 800-node
 * workflow (random DAG, seeded) with dagre's default network-simplex ranker
 * against flowpulse's `layoutNodes`, which ranks graphs past 250 nodes with
 * a tight tree. The layout blocks the page while it runs.
 * Run: npm run bench
 */
import { bench, describe } from 'vitest';
import dagre from '@dagrejs/dagre';
import { layoutNodes } from 'flowpulse/flow';

const NODES = 800;
let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const items = Array.from({ length: NODES }, (_, i) => ({ id: `n${i}`, data: {} }));
const edges: { source: string; target: string }[] = [];
for (let i = 1; i < NODES; i++) {
  edges.push({ source: `n${Math.floor(random() * i)}`, target: `n${i}` });
  if (random() < 0.3) edges.push({ source: `n${Math.floor(random() * i)}`, target: `n${i}` });
}

describe(`layout of a ${NODES}-node workflow`, () => {
  bench(
    "dagre's default ranking (network simplex)",
    () => {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: 'LR', ranksep: 60, nodesep: 30 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const n of items) g.setNode(n.id, { width: 180, height: 72 });
      for (const e of edges) g.setEdge(e.source, e.target);
      dagre.layout(g);
    },
    { iterations: 2, time: 0 },
  );

  bench('layoutNodes (flowpulse: a tight tree past 250 nodes)', () => void layoutNodes(items, edges, { direction: 'LR' }), {
    iterations: 2,
    time: 0,
  });
});
