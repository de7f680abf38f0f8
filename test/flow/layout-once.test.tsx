import './setup-react-flow';
import { render, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { preloadLayout, useFlowElements, WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { settle, testClient, withClient } from './helpers';

// Counts dagre layouts: a large graph's costs about a second, so a canvas must not lay out one it throws away.
const layouts = vi.hoisted(() => ({ count: 0 }));
vi.mock('@dagrejs/dagre', async (importOriginal) => {
  const dagre = ((await importOriginal()) as { default: typeof import('@dagrejs/dagre') }).default;
  const counted = { ...dagre, layout: (...args: Parameters<typeof dagre.layout>) => (layouts.count++, dagre.layout(...args)) };
  return { ...counted, default: counted };
});

/** A wide canvas with direction 'auto' and a two-node graph: how many dagre layouts it took. */
async function layoutsOnAWideCanvas(): Promise<number> {
  const before = layouts.count;
  const descriptors = ['offsetWidth', 'offsetHeight'].map(
    (key) => [key, Object.getOwnPropertyDescriptor(HTMLElement.prototype, key)!] as const,
  );
  for (const [key, original] of descriptors) {
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get(this: HTMLElement) {
        if (this.classList.contains('react-flow__renderer')) return key === 'offsetWidth' ? 1200 : 400;
        return original.get!.call(this);
      },
    });
  }
  try {
    const graph: WorkflowGraph = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };
    const view = render(withClient(testClient(), <WorkflowCanvas graph={graph} layout={{ direction: 'auto' }} />));
    await settle();
    // Laid out, left to right.
    const [a, b] = ['a', 'b'].map((id) => view.container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement);
    const x = (el: HTMLElement) => Number(/translate\(([-\d.]+)px/.exec(el.style.transform)?.[1]);
    expect(x(a!)).toBeLessThan(x(b!));
    view.unmount();
  } finally {
    for (const [key, original] of descriptors) Object.defineProperty(HTMLElement.prototype, key, original);
  }
  return layouts.count - before;
}

describe("a canvas with direction 'auto'", () => {
  // The layout code loads on first need: the canvas is measured by the time it is there.
  it('lays a graph out once on a wide canvas, the layout code loaded on first need', async () => {
    expect(await layoutsOnAWideCanvas()).toBe(1);
  });

  // Loaded beforehand, the layout is ready on the first render, before React Flow has measured the pane.
  it('lays a graph out once on a wide canvas, not first top to bottom before it is measured (layout code preloaded)', async () => {
    await preloadLayout();
    expect(await layoutsOnAWideCanvas()).toBe(1);
  });
});

describe('a graph laid out in one direction, then the other, then back', () => {
  it('is laid out once per direction: flipping back reuses the first layout', () => {
    const graph: WorkflowGraph = { nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] };
    const { result, rerender } = renderHook(({ direction }) => useFlowElements({ graph, layout: { direction } }), {
      initialProps: { direction: 'LR' as 'LR' | 'TB' },
    });
    const before = layouts.count;
    const wide = result.current.nodes;
    rerender({ direction: 'TB' });
    rerender({ direction: 'LR' });
    expect(layouts.count - before).toBe(1); // TB only
    expect(result.current.nodes.map((n) => n.position)).toEqual(wide.map((n) => n.position));
  });
});
