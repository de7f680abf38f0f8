import type { WorkflowGraph, WorkflowGraphEdge } from 'flowpulse/flow';

/**
 * An order-processing workflow: fetch, validate, two branches, merge, store.
 *
 * @example
 * <WorkflowCanvas graph={ordersGraph} client={client} />
 */
export const ordersGraph: WorkflowGraph = {
  nodes: [
    { id: 'fetch', label: 'Fetch orders', type: 'http' },
    { id: 'validate', label: 'Validate', type: 'python' },
    { id: 'price', label: 'Price lines', type: 'python' },
    { id: 'stock', label: 'Check stock', type: 'sql' },
    { id: 'merge', label: 'Merge', type: 'python' },
    { id: 'invoice', label: 'Render invoices', type: 'template' },
    { id: 'store', label: 'Store results', type: 'sql' },
    { id: 'notify', label: 'Notify team', type: 'slack' },
  ],
  edges: [
    { id: 'e-fetch-validate', source: 'fetch', target: 'validate' },
    { id: 'e-validate-price', source: 'validate', target: 'price' },
    { id: 'e-validate-stock', source: 'validate', target: 'stock' },
    { id: 'e-price-merge', source: 'price', target: 'merge' },
    { id: 'e-stock-merge', source: 'stock', target: 'merge' },
    { id: 'e-merge-invoice', source: 'merge', target: 'invoice' },
    { id: 'e-merge-store', source: 'merge', target: 'store' },
    { id: 'e-store-notify', source: 'store', target: 'notify' },
  ],
};

/**
 * A generated DAG of `size` nodes shaped like a big pipeline: layers of
 * `width` nodes, each feeding the node below it and every third one also its
 * neighbour's, so the layout has crossings to resolve.
 *
 * @example
 * const graph = largeGraph(500);
 */
export function largeGraph(size = 500, width = 16): WorkflowGraph {
  const nodes = Array.from({ length: size }, (_, i) => ({ id: `n${i}`, label: `Step ${i + 1}`, type: ['http', 'python', 'sql'][i % 3] }));
  const edges: WorkflowGraphEdge[] = [];
  for (let i = 0; i + width < size; i++) {
    edges.push({ id: `e${i}-${i + width}`, source: `n${i}`, target: `n${i + width}` });
    const neighbour = i + width + 1;
    if (i % 3 === 0 && (i + 1) % width !== 0 && neighbour < size)
      edges.push({ id: `e${i}-${neighbour}`, source: `n${i}`, target: `n${neighbour}` });
  }
  return { nodes, edges };
}
