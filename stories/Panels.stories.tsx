import type { Meta, StoryObj } from '@storybook/react-vite';
import { WorkflowProvider } from 'flowpulse';
import { ConnectionIndicator, ErrorBanner, LogPanel, ProgressBar } from 'flowpulse/flow';
import { ordersGraph } from './graphs';
import { recordRun } from './recordRun';
import { useReplayClient } from './useReplayClient';

const recording = recordRun(ordersGraph, { workflowId: 'panels', failAt: 'merge', start: new Date(Date.UTC(2025, 10, 13, 1, 30, 0)) });

/** Each panel on its own, inside a plain `WorkflowProvider`: no canvas needed. */
function PanelsOnly({ paused }: { paused: boolean }) {
  const client = useReplayClient('panels', recording, { loop: 2500, startAt: paused ? 60_000 : 0, paused });
  return (
    <WorkflowProvider workflowId="panels" client={client}>
      <div
        style={{
          display: 'grid',
          gap: 12,
          padding: 12,
          background: 'var(--fp-surface)',
          color: 'var(--fp-text)',
          font: '13px/1.4 var(--fp-font)',
        }}
      >
        <ProgressBar />
        <ConnectionIndicator />
        <ErrorBanner />
        <LogPanel />
      </div>
    </WorkflowProvider>
  );
}

const meta = {
  title: 'Flow/Panels',
  component: PanelsOnly,
} satisfies Meta<typeof PanelsOnly>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Live: Story = { args: { paused: false } };

export const AfterFailure: Story = { args: { paused: true } };
