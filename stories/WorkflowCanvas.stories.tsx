import type { CSSProperties } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { CanvasReplay } from './CanvasReplay';
import { largeGraph, ordersGraph } from './graphs';
import { zhMessages } from './zhMessages';

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

/** The socket dropped (1006) and the client is retrying: the arc spins (not under reduced motion). */
export const Reconnecting: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'reconnecting', attempt: 3, why: 'server', closeCode: 1006, closeReason: null, nextRetryAt: null },
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

/** An app's own palette: CSS variables on any ancestor reach the nodes, the panels and the details dialog. */
export const Themed: Story = {
  args: {
    failAt: 'invoice',
    theme: {
      '--fp-color-completed': '#34d399',
      '--fp-color-running': '#fbbf24',
      '--fp-color-error': '#f87171',
      '--fp-color-flow': '#34d399',
      '--fp-accent': '#7c3aed',
      '--fp-color-current': '#7c3aed',
      '--fp-font': 'Georgia, serif',
    } as CSSProperties,
  },
};

/** 500 nodes, laid out by dagre, running fast. */
export const LargeGraph: Story = { args: { graph: largeGraph(500), stepMs: 60, speed: 4, height: 800 } };

/** Paused mid-run: the running node finishes, nothing new starts; the progress line says "Paused". */
export const Paused: Story = { args: { startAt: 2600, paused: true, runState: { state: 'paused' } } };

/** Cancelled by a user: the running node was aborted; the progress line gives the reason. */
export const Cancelled: Story = { args: { startAt: 2600, paused: true, runState: { state: 'cancelled', reason: 'cancelled by user' } } };

/**
 * The server restarted and no longer knows the run: a notice says so, and the
 * node that was running is "Unknown", not pulsing.
 */
export const StaleRun: Story = { args: { startAt: 2600, paused: true, stale: true } };

/** The socket went silent (heartbeat timeout): "Stalled", distinct from disconnected and from errors. */
export const ConnectionStalled: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout', closeCode: null, closeReason: null, nextRetryAt: null },
  },
};

/** The server closed the socket with 4401: "Not signed in", an alert, no spinner. */
export const NotSignedIn: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'closed', attempt: 0, why: 'fatal', closeCode: 4401, closeReason: 'unauthorized', nextRetryAt: null },
  },
};

/** The server closed the socket with 4403: signed in, but not allowed to watch this workflow. */
export const NotAllowed: Story = {
  args: {
    startAt: 2600,
    paused: true,
    connection: { status: 'closed', attempt: 0, why: 'fatal', closeCode: 4403, closeReason: 'forbidden', nextRetryAt: null },
  },
};

/** Server health under the header: latest values and sparklines, a new sample every second. */
export const WithMetrics: Story = { args: { metrics: true } };

/**
 * The run toolbar in the header (`showToolbar`). This story's REST calls go to
 * a fake `fetch` that answers 202 and changes nothing, so the buttons follow the replay.
 */
export const WithToolbar: Story = {
  args: {
    startAt: 2600,
    paused: true,
    showToolbar: true,
    control: { fetch: async () => new Response('{"execution_id":"exec-2"}', { status: 202 }) },
  },
};

/** Select a node on the canvas: the log panel shows its lines only, with a chip to clear the filter. */
export const LogsFollowSelection: Story = { args: { startAt: 60_000, paused: true, selectNode: 'price' } };

/**
 * Every word in Simplified Chinese (`messages`), as an app like Dify would
 * give them: nodes, edges' names, panels, toolbar, notices and dialogs.
 */
export const Translated: Story = { args: { failAt: 'stock', startAt: 60_000, paused: true, showToolbar: true, messages: zhMessages } };
