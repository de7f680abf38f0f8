/**
 * What React Flow needs from the DOM that jsdom lacks: ResizeObserver,
 * DOMMatrixReadOnly and element sizes. Imported by the flow tests only, so
 * other suites keep plain jsdom.
 */
import { vi } from 'vitest';

class ResizeObserverMock {
  constructor(private readonly callback: ResizeObserverCallback) {}
  // Reported a microtask later, as a browser would after layout: React Flow
  // ignores measurements taken before its pane is in place.
  observe(target: Element) {
    queueMicrotask(() => {
      const el = target as HTMLElement;
      const contentRect = { x: 0, y: 0, top: 0, left: 0, width: el.offsetWidth, height: el.offsetHeight };
      this.callback([{ target, contentRect } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
    });
  }
  unobserve() {}
  disconnect() {}
}

class DOMMatrixReadOnlyMock {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
    this.m22 = scale !== undefined ? Number(scale) : 1;
  }
}

globalThis.ResizeObserver = ResizeObserverMock as unknown as typeof ResizeObserver;
(globalThis as any).DOMMatrixReadOnly = DOMMatrixReadOnlyMock;

// React Flow reads offsetWidth/Height for the pane and for each node; jsdom says 0.
const size = (fallback: number, axis: 'width' | 'height') => ({
  configurable: true,
  get(this: HTMLElement) {
    return parseFloat(this.style[axis]) || fallback;
  },
});
Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: size(64, 'height'),
  offsetWidth: size(180, 'width'),
});

(SVGElement.prototype as any).getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 });

/**
 * Makes `matchMedia` answer `reduce` for prefers-reduced-motion (and `false`
 * for anything else). Returns the restore function.
 */
export function mockReducedMotion(reduce: boolean): () => void {
  const had = Object.prototype.hasOwnProperty.call(window, 'matchMedia');
  const before = window.matchMedia;
  const listeners = new Set<() => void>();
  window.matchMedia = vi.fn((query: string) => ({
    matches: reduce && query.includes('prefers-reduced-motion: reduce'),
    media: query,
    onchange: null,
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
    addListener: (l: () => void) => listeners.add(l),
    removeListener: (l: () => void) => listeners.delete(l),
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  return () => {
    if (had) window.matchMedia = before;
    else delete (window as any).matchMedia;
  };
}
