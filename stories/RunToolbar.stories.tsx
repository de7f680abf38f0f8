import type { Meta, StoryObj } from '@storybook/react-vite';
import { ToolbarStage } from './ToolbarStage';

/**
 * Run, Pause, Resume and Cancel, each enabled only when it makes sense, over a
 * fake server that answers after 400 ms (the toolbar is busy meanwhile).
 */
const meta = {
  title: 'Flow/RunToolbar',
  component: ToolbarStage,
} satisfies Meta<typeof ToolbarStage>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = { args: { status: 'idle' } };

export const Running: Story = { args: { status: 'running' } };

export const Paused: Story = { args: { status: 'paused' } };

export const Cancelled: Story = { args: { status: 'cancelled' } };

/** The server forgot the run: only Run is offered. */
export const Stale: Story = { args: { status: 'stale' } };

/** Every request fails: the reason is shown beside the buttons. */
export const RequestFails: Story = { args: { status: 'running', failWith: 'execution is not running' } };
