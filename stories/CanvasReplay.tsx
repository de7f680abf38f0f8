import { useMemo, type CSSProperties } from 'react';
import type { ColorMode } from '@xyflow/react';
import type { ConnectionState } from 'flowpulse';
import { graphToFlow, WorkflowCanvas, type WorkflowCanvasProps, type WorkflowGraph } from 'flowpulse/flow';
import { recordRun } from './recordRun';
import { useStoryExtras, type StoryExtras } from './storyExtras';
import { useReplayClient, type UseReplayClientOptions } from './useReplayClient';

const START = Date.UTC(2025, 10, 13, 1, 30, 0);

/** Props of {@link CanvasReplay}. */
export interface CanvasReplayProps extends Omit<UseReplayClientOptions, 'connection'>, StoryExtras {
  graph: WorkflowGraph;
  /** The node that fails, for a failing run. */
  failAt?: string;
  /** Mean node run time in the recording. @default 900 */
  stepMs?: number;
  connection?: ConnectionState;
  colorMode?: ColorMode;
  /** @default 640 */
  height?: number;
  /** Passed to the canvas. @default false */
  showToolbar?: boolean;
  /** The canvas's REST options; the toolbar story fakes `fetch`. */
  control?: WorkflowCanvasProps['control'];
  /** A node selected from the start (the log panel follows the selection). */
  selectNode?: string;
  /** CSS variables set on a wrapper around the canvas: an app's theme (it reaches the dialog too). */
  theme?: CSSProperties;
  /** The canvas's words in another language. */
  messages?: WorkflowCanvasProps['messages'];
}

/**
 * `WorkflowCanvas` playing a recorded execution of `graph` through the replay
 * transport: no server, messages on a clock; {@link StoryExtras} add a
 * pause or cancel, a forgotten run, or server metrics.
 *
 * @example
 * <CanvasReplay graph={ordersGraph} failAt="stock" loop={2000} />
 */
export function CanvasReplay({
  graph,
  failAt,
  stepMs,
  connection,
  colorMode,
  height = 640,
  runState,
  stale,
  metrics,
  showToolbar,
  control,
  selectNode,
  theme,
  messages,
  ...replayOptions
}: CanvasReplayProps) {
  const elements = useMemo(() => {
    if (!selectNode) return { graph };
    const { nodes, edges } = graphToFlow(graph);
    return { nodes: nodes.map((n) => (n.id === selectNode ? { ...n, selected: true } : n)), edges };
  }, [graph, selectNode]);
  const recording = useMemo(
    () => recordRun(graph, { workflowId: 'story', failAt, stepMs, start: new Date(START) }),
    [graph, failAt, stepMs],
  );
  const client = useReplayClient('story', recording, { ...replayOptions, connection });
  useStoryExtras(client, 'story', 'exec-1', { runState, stale, metrics, at: new Date(START + (replayOptions.startAt ?? 0)) });
  return (
    <div style={{ ...theme, height }}>
      <WorkflowCanvas client={client} {...elements} colorMode={colorMode} showToolbar={showToolbar} control={control} messages={messages} />
    </div>
  );
}
