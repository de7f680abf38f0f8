import type { Meta, StoryObj } from '@storybook/react-vite';
import { EdgeStage } from './EdgeStage';

/**
 * The data-flow edge. Flowing: a marker travels source → target and the edge
 * stays highlighted for 3 s per `edge_flow`. With reduced motion (emulate
 * `prefers-reduced-motion: reduce` in the browser's dev tools) the highlight is static.
 */
const meta = {
  title: 'Flow/DataFlowEdge',
  component: EdgeStage,
} satisfies Meta<typeof EdgeStage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const AtRest: Story = { args: { flowing: false } };

export const Flowing: Story = { args: { flowing: true, everyMs: 3500 } };

export const SingleFlow: Story = { args: { flowing: true, everyMs: 0 } };
