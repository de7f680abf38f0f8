import { useEffect, useMemo } from 'react';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { MetricsPanel } from 'flowpulse/flow';
import { createMetricsMessage } from 'flowpulse/protocol';
import { metricsSample } from './storyExtras';

/** Props of {@link MetricsStage}. */
export interface MetricsStageProps {
  /** Samples there are at first. @default 40 */
  history?: number;
  /** Add a sample this often; 0 never. @default 1000 */
  everyMs?: number;
  colorMode?: 'light' | 'dark';
}

/**
 * `MetricsPanel` fed with generated samples, as a client with `metrics: true` receives them.
 *
 * @example
 * <MetricsStage history={60} everyMs={1000} />
 */
export function MetricsStage({ history = 40, everyMs = 1000, colorMode = 'light' }: MetricsStageProps) {
  const client = useMemo(() => createWorkflowClient({ workflowId: 'metrics', batch: 'sync' }), []);
  useEffect(() => {
    client.store.reset();
    let tick = 0;
    for (; tick < history; tick++) client.store.enqueue(createMetricsMessage({ metrics: metricsSample(tick) }));
    if (!everyMs) return;
    const timer = setInterval(() => client.store.enqueue(createMetricsMessage({ metrics: metricsSample(tick++) })), everyMs);
    return () => clearInterval(timer);
  }, [client, history, everyMs]);
  useEffect(() => () => client.destroy(), [client]);
  return (
    <WorkflowProvider workflowId="metrics" client={client} enabled={false}>
      <div
        className={colorMode === 'dark' ? 'fp-dark' : undefined}
        style={{ padding: 12, background: 'var(--fp-surface)', color: 'var(--fp-text)', font: '13px/1.4 var(--fp-font)' }}
      >
        <MetricsPanel />
        {history === 0 && <p>No samples yet: the panel renders nothing.</p>}
      </div>
    </WorkflowProvider>
  );
}
