import type { Meta, StoryObj } from '@storybook/react-vite';
import { WorkflowProvider, type ConnectionState } from 'flowpulse';
import { AuthNotice, ConnectionIndicator, ErrorBanner, LogPanel, ProgressBar, StaleRunNotice } from 'flowpulse/flow';
import { ordersGraph } from './graphs';
import { recordRun } from './recordRun';
import { useReplayClient } from './useReplayClient';

const recording = recordRun(ordersGraph, { workflowId: 'panels', failAt: 'merge', start: new Date(Date.UTC(2025, 10, 13, 1, 30, 0)) });

/** Props of {@link PanelsOnly}. */
interface PanelsOnlyProps {
  paused: boolean;
  /** The log panel's node filter at first. */
  logNode?: string;
  connection?: ConnectionState;
}

/** Each panel on its own, inside a plain `WorkflowProvider`: no canvas needed. */
function PanelsOnly({ paused, logNode, connection }: PanelsOnlyProps) {
  const client = useReplayClient('panels', recording, { loop: 2500, startAt: paused ? 60_000 : 0, paused, connection });
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
        <AuthNotice />
        <StaleRunNotice />
        <ErrorBanner />
        <LogPanel defaultNode={logNode} />
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

/** The log panel filtered to one node, with the chip that clears the filter. */
export const LogsOfOneNode: Story = { args: { paused: true, logNode: 'stock' } };

/** The server refused the socket (4401): the indicator and the notice, no spinner. */
export const SignInRefused: Story = {
  args: {
    paused: true,
    connection: { status: 'closed', attempt: 0, why: 'fatal', closeCode: 4401, closeReason: 'unauthorized', nextRetryAt: null },
  },
};
