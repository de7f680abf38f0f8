import { useMemo } from 'react';
import type { ColorMode } from '@xyflow/react';
import type { ConnectionState } from 'flowpulse';
import { WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { recordRun } from './recordRun';
import { useReplayClient, type UseReplayClientOptions } from './useReplayClient';

/** Props of {@link CanvasReplay}. */
export interface CanvasReplayProps extends Omit<UseReplayClientOptions, 'connection'> {
  graph: WorkflowGraph;
  /** The node that fails, for a failing run. */
  failAt?: string;
  /** Mean node run time in the recording. @default 900 */
  stepMs?: number;
  connection?: ConnectionState;
  colorMode?: ColorMode;
  /** @default 640 */
  height?: number;
}

/**
 * `WorkflowCanvas` playing a recorded execution of `graph` through the replay
 * transport: no server, messages on a clock.
 *
 * @example
 * <CanvasReplay graph={ordersGraph} failAt="stock" loop={2000} />
 */
export function CanvasReplay({ graph, failAt, stepMs, connection, colorMode, height = 640, ...replayOptions }: CanvasReplayProps) {
  const recording = useMemo(
    () => recordRun(graph, { workflowId: 'story', failAt, stepMs, start: new Date(Date.UTC(2025, 10, 13, 1, 30, 0)) }),
    [graph, failAt, stepMs],
  );
  const client = useReplayClient('story', recording, { ...replayOptions, connection });
  return (
    <div style={{ height }}>
      <WorkflowCanvas client={client} graph={graph} colorMode={colorMode} />
    </div>
  );
}
