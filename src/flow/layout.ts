// What layout needs without dagre: options, handle sides. dagre itself is in dagreLayout.ts, which the
// canvas loads on first need (layoutEngine.ts) and layoutNodes.ts imports; nothing here may import it.
import { Position, type Node, type XYPosition } from '@xyflow/react';

/** Which way ranks follow each other: top to bottom, bottom to top, left to right, right to left. */
export type RankDirection = 'TB' | 'BT' | 'LR' | 'RL';

/** Options of `layoutNodes`, and a canvas's `layout`. */
export interface LayoutOptions {
  /**
   * Rank direction. `auto` (on a canvas) lays out left to right while the
   * canvas is wider than tall and top to bottom otherwise, again as that
   * changes; without a canvas to measure it is top to bottom.
   * @default 'TB'
   */
  direction?: RankDirection | 'auto' | undefined;
  /** Node size the layout assumes; match it to the CSS `--fp-node-width`. @default 180 */
  nodeWidth?: number | undefined;
  /** @default 72 */
  nodeHeight?: number | undefined;
  /** Space between ranks. @default 60 */
  rankSep?: number | undefined;
  /** Space between nodes of one rank. @default 30 */
  nodeSep?: number | undefined;
}

/** A React Flow node whose position may be missing. */
export type Positionable = Omit<Node, 'position'> & { position?: XYPosition | undefined };

const HANDLES: Record<RankDirection, [Position, Position]> = {
  TB: [Position.Top, Position.Bottom],
  BT: [Position.Bottom, Position.Top],
  LR: [Position.Left, Position.Right],
  RL: [Position.Right, Position.Left],
};

/** What the layout needs of a node: its id, its size, and its position if it has one. */
export interface LayoutItem {
  id: string;
  width?: number | undefined;
  height?: number | undefined;
  position?: XYPosition | undefined;
}

/**
 * The handle sides a layout direction implies: `[targetPosition, sourcePosition]`.
 *
 * @example
 * const [targetPosition, sourcePosition] = layoutHandles('LR'); // left, right
 */
export function layoutHandles(direction: LayoutOptions['direction'] = 'TB'): [Position, Position] {
  return HANDLES[rankDirection(direction)];
}

/** The direction a layout without a canvas to measure takes: `auto` and none are top to bottom. */
export const rankDirection = (direction: LayoutOptions['direction']): RankDirection =>
  direction === undefined || direction === 'auto' ? 'TB' : direction;
