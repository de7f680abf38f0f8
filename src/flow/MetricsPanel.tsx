import { useId, useMemo } from 'react';
import { useWorkflowSelector } from '../react';
import { formatClock } from './format';
import { formatMetric, METRIC_DEFS, metricSeries } from './metricDefs';
import { Sparkline } from './Sparkline';

/** Props of {@link MetricsPanel}. */
export interface MetricsPanelProps {
  className?: string | undefined;
  /** @default 'Server' */
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
export function MetricsPanel({ className, title = 'Server', live = false }: MetricsPanelProps) {
  const samples = useWorkflowSelector((s) => s.metrics);
  const headingId = useId();
  const series = useMemo(() => METRIC_DEFS.map((def) => metricSeries(samples, def.key)), [samples]);
  const latest = samples[samples.length - 1];
  if (!latest) return null;

  return (
    <section className={`fp-metrics${className ? ` ${className}` : ''}`} aria-labelledby={headingId}>
      <h2 id={headingId} className="fp-panel-title fp-metrics__title">
        {title}
        <span className="fp-metrics__time">
          {' '}
          as of <time dateTime={new Date(latest.time).toISOString()}>{formatClock(latest.time)}</time>
        </span>
      </h2>
      <dl className="fp-metrics__list" aria-live={live ? 'polite' : 'off'}>
        {METRIC_DEFS.map((def, i) => {
          const values = series[i] as number[];
          const now = formatMetric(def, Number(latest[def.key]));
          const finite = values.filter(Number.isFinite);
          const range = finite.length > 1 ? `, ${formatMetric(def, Math.min(...finite))} to ${formatMetric(def, Math.max(...finite))}` : '';
          return (
            <div key={def.key} className="fp-metric" data-metric={def.key}>
              <dt className="fp-metric__label">{def.label}</dt>
              <dd className="fp-metric__value">
                <span className="fp-metric__number">{now}</span>
                <Sparkline
                  values={values}
                  min={def.min}
                  label={`${def.label}: ${now} now${range ? ` (last ${finite.length} samples${range})` : ''}`}
                />
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
