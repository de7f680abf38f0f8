import { createContext, useContext } from 'react';
import type { UseWorkflowControlOptions } from '../control';

/**
 * What the canvas offers the panels inside it.
 *
 * @example
 * const value: CanvasContextValue = { labelOf: (id) => id };
 */
export interface CanvasContextValue {
  /** Centres, selects and focuses a node; absent outside a canvas. */
  focusNode?: ((nodeId: string) => void) | undefined;
  /** A node's label, for panels that name nodes. */
  labelOf: (nodeId: string) => string;
  /** REST options (`token`, `fetch`, `apiBaseUrl`) for what the canvas fetches: large node results. */
  control?: UseWorkflowControlOptions | undefined;
  /** The canvas is in its dark palette: what it portals (a node's dialog) follows it. */
  dark?: boolean | undefined;
}

const DEFAULT: CanvasContextValue = { labelOf: (id) => id };

/**
 * Set by `WorkflowCanvas` for its panels; panels outside one get node ids and no focusing.
 *
 * @example
 * <CanvasContext.Provider value={{ focusNode: (id) => reveal(id), labelOf: (id) => names[id] ?? id }}>
 *   <ErrorBanner />
 * </CanvasContext.Provider>
 */
export const CanvasContext = createContext<CanvasContextValue>(DEFAULT);

/**
 * The enclosing canvas's helpers, or plain defaults outside one.
 *
 * @example
 * const { focusNode, labelOf } = useCanvasContext();
 */
export function useCanvasContext(): CanvasContextValue {
  return useContext(CanvasContext);
}
