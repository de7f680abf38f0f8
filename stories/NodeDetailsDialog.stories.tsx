import type { Meta, StoryObj } from '@storybook/react-vite';
import { DialogStage } from './DialogStage';

/**
 * A finished node's details, as its status badge, Enter or a double click opens them: status,
 * times, duration and the full result, pretty-printed and cut to its first
 * 20,000 characters until "Show all".
 */
const meta = {
  title: 'Flow/NodeDetailsDialog',
  component: DialogStage,
} satisfies Meta<typeof DialogStage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Completed: Story = { args: { kind: 'completed' } };

export const Failed: Story = { args: { kind: 'failed' } };

/** A result of some 50,000 characters that came in the stream: bounded, with "Show all". */
export const LargeResult: Story = { args: { kind: 'large-inline' } };

/** A result too large for the stream (`result_ref`): loading, then fetched over HTTP. */
export const FetchedResult: Story = { args: { kind: 'result-ref' } };

/** The fetch fails: the reason, and "Try again". */
export const FetchFails: Story = { args: { kind: 'result-ref-fails', latencyMs: 300 } };
