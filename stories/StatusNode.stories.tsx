import type { Meta, StoryObj } from '@storybook/react-vite';
import { NodeStage } from './NodeStage';

/** Every state a status node can be in, each reached through real protocol messages. */
const meta = {
  title: 'Flow/StatusNode',
  component: NodeStage,
  parameters: { layout: 'fullscreen' },
} satisfies Meta<typeof NodeStage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Pending: Story = {
  args: { nodes: [{ id: 'fetch', label: 'Fetch orders', type: 'http', status: 'pending' }] },
};

export const Running: Story = {
  args: { nodes: [{ id: 'fetch', label: 'Fetch orders', type: 'http', status: 'running', current: true }] },
};

/** The node the last `progress` message names is highlighted even before it reports `running`. */
export const CurrentStep: Story = {
  args: { nodes: [{ id: 'fetch', label: 'Fetch orders', type: 'http', status: 'pending', current: true }] },
};

export const Completed: Story = {
  args: { nodes: [{ id: 'fetch', label: 'Fetch orders', type: 'http', status: 'completed', durationMs: 1840, result: { rows: 128 } }] },
};

/** Hover or focus the badge for the message; click the badge (or double-click the node) for the details dialog. */
export const Failed: Story = {
  args: {
    nodes: [
      {
        id: 'fetch',
        label: 'Fetch orders',
        type: 'http',
        status: 'error',
        durationMs: 30000,
        error: 'HTTP 503 from orders API after 3 retries',
        result: { attempts: 3, lastStatus: 503 },
      },
    ],
  },
};

/** Running, but the watchdog heard nothing from it for a while: a dashed border and a "Stalled" chip, still pulsing. */
export const Stalled: Story = {
  args: { nodes: [{ id: 'fetch', label: 'Fetch orders', type: 'http', status: 'running', current: true, stalled: true }] },
};

/** The server restarted and forgot the run: the node last seen running is "Unknown", grey and still. */
export const UnknownAfterRestart: Story = {
  args: {
    stale: true,
    nodes: [
      { id: 'fetch', label: 'Fetch orders', type: 'http', status: 'completed', durationMs: 640 },
      { id: 'validate', label: 'Validate', type: 'python', status: 'running', current: true },
    ],
  },
};

/**
 * Click the status badge, double-click the node, or focus it and press Enter,
 * for its details: result, start and end times, duration. A plain click only selects.
 */
export const CompletedDetails: Story = {
  args: {
    nodes: [
      {
        id: 'price',
        label: 'Price lines',
        type: 'python',
        status: 'completed',
        durationMs: 2310,
        result: { lines: 128, currency: 'EUR', total: 18234.5, warnings: ['2 lines without a price list'] },
      },
    ],
  },
};

export const AllStates: Story = {
  args: {
    nodes: [
      { id: 'a', label: 'Fetch orders', type: 'http', status: 'completed', durationMs: 640 },
      { id: 'b', label: 'Validate', type: 'python', status: 'running', current: true },
      { id: 'c', label: 'Price lines', type: 'python', status: 'pending' },
      { id: 'd', label: 'Check stock', type: 'sql', status: 'error', durationMs: 2300, error: 'relation "stock" does not exist' },
    ],
  },
};

export const AllStatesDark: Story = {
  args: { ...AllStates.args, colorMode: 'dark' },
  parameters: { backgrounds: { default: 'dark' } },
};
