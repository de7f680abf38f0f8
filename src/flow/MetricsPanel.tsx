import { useId, useMemo } from 'react';
import { useWorkflowSelector } from '../react';
import { useCanvasMessages } from './CanvasMessagesProvider';
import { formatClock } from './format';
import { formatMetric, METRIC_DEFS, metricLabel, metricSeries } from './metricDefs';
import { Sparkline } from './Sparkline';

/** Props of {@link MetricsPanel}. */
export interface MetricsPanelProps {
  className?: string | undefined;
  /** @default 'Server' (the messages' `metricsTitle`) */
  title?: string | undefined;
  /**
   * Announce each new sample to screen readers. Off by default: samples arrive
   * every second or so, and a region that speaks that often drowns out the run.
   * @default false
   */
  live?: boolean | undefined;
}

/**
 * The server's health, live, from the `metrics` samples the client opted in to
 * (`metrics: true`): CPU, resident memory, heap, event-loop delay (p99), active
 * runs and connected clients, each with its latest value and a sparkline of the
 * buffered samples (the store keeps the last 60). Each sparkline's
 * `aria-label` says the latest value and the range. Renders nothing until the
 * first sample. Works inside any `WorkflowProvider`.
 *
 * @example
 * <WorkflowProvider workflowId="123" metrics><MetricsPanel /></WorkflowProvider>
 */
export function MetricsPanel({ className, title, live = false }: MetricsPanelProps) {
  const samples = useWorkflowSelector((s) => s.metrics);
  const messages = useCanvasMessages();
  const headingId = useId();
  const series = useMemo(() => METRIC_DEFS.map((def) => metricSeries(samples, def.key)), [samples]);
  const latest = samples[samples.length - 1];
  if (!latest) return null;

  return (
    <section className={`fp-metrics${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="fp-panel-title fp-metrics__title">
        {title ?? messages.metricsTitle}
        <span className="fp-metrics__time">
          {' '}
          {messages.metricsAsOf(<time dateTime={new Date(latest.time).toISOString()}>{formatClock(latest.time)}</time>)}
        </span>
      </h2>
      <dl className="fp-metrics__list" aria-live={live ? 'polite' : 'off'}>
        {METRIC_DEFS.map((def, i) => {
          const values = series[i] as number[];
          const label = metricLabel(def.key, messages);
          const now = formatMetric(def, Number(latest[def.key]), messages);
          const finite = values.filter(Number.isFinite);
          const range =
            finite.length > 1
              ? {
                  samples: finite.length,
                  min: formatMetric(def, Math.min(...finite), messages),
                  max: formatMetric(def, Math.max(...finite), messages),
                }
              : null;
          return (
            <div key={def.key} className="fp-metric" data-metric={def.key}>
              <dt className="fp-metric__label">{label}</dt>
              <dd className="fp-metric__value">
                <span className="fp-metric__number">{now}</span>
                <Sparkline values={values} min={def.min} label={messages.metricSparkline(label, now, range)} />
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
