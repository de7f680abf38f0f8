import type { Meta, StoryObj } from '@storybook/react-vite';
import { CanvasReplay } from './CanvasReplay';
import { largeGraph, ordersGraph } from './graphs';

/**
 * The whole canvas, playing recorded executions through the replay transport
 * (no server). `startAt` + `paused` freeze a run at a moment, for screenshots.
 */
const meta = {
  title: 'Flow/WorkflowCanvas',
  component: CanvasReplay,
  args: { graph: ordersGraph, loop: 2500, speed: 1 },
} satisfies Meta<typeof CanvasReplay>;

export default meta;
type Story = StoryObj<typeof meta>;

export const RecordedRun: Story = {};

export const FailingRun: Story = { args: { failAt: 'stock' } };

/** Mid-run, frozen: completed, running and pending nodes. */
export const RunningSnapshot: Story = { args: { startAt: 2600, paused: true } };

/** The end of a failed run, frozen. */
export const FailedSnapshot: Story = { args: { failAt: 'stock', startAt: 60_000, paused: true } };

export const Reconnecting: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'reconnecting', attempt: 3, why: 'heartbeat-timeout', closeCode: 1006, closeReason: null, nextRetryAt: null },
  },
};

export const Closed: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'closed', attempt: 0, why: 'fatal', closeCode: 4404, closeReason: 'workflow not found', nextRetryAt: null },
  },
};

/** A fast run with a small log buffer: filtering, auto-scroll and the dropped-lines count. */
export const Logs: Story = { args: { failAt: 'invoice', speed: 4, maxLogs: 25 } };

export const Dark: Story = { args: { colorMode: 'dark' } };

/** 500 nodes, laid out by dagre, running fast. */
export const LargeGraph: Story = { args: { graph: largeGraph(500), stepMs: 60, speed: 4, height: 800 } };
