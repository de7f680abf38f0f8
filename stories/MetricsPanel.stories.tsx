import type { Meta, StoryObj } from '@storybook/react-vite';
import { MetricsStage } from './MetricsStage';

/** Server health from `metrics` samples: latest values with a sparkline each, bounded to the store's last 60 samples. */
const meta = {
  title: 'Flow/MetricsPanel',
  component: MetricsStage,
} satisfies Meta<typeof MetricsStage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Live: Story = { args: { history: 40, everyMs: 1000 } };

export const Still: Story = { args: { history: 60, everyMs: 0 } };

export const Dark: Story = { args: { history: 60, everyMs: 0, colorMode: 'dark' }, parameters: { backgrounds: { default: 'dark' } } };

/** Before the first sample there is nothing to show, and nothing is rendered. */
export const NoSamples: Story = { args: { history: 0, everyMs: 0 } };
