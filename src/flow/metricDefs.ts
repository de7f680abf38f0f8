import type { MetricsSample } from '../core/state';

/**
 * One server metric the `MetricsPanel` shows.
 *
 * @example
 * const cpu: MetricDef = { key: 'cpu_percent', label: 'CPU', unit: '%', digits: 1, min: 0 };
 */
export interface MetricDef {
  key: 'cpu_percent' | 'rss_mb' | 'heap_used_mb' | 'event_loop_delay_p99_ms' | 'active_executions' | 'connected_clients';
  /** Shown as the metric's name. */
  label: string;
  /** Appended to the value, spoken and shown. */
  unit: string;
  /** Decimals shown. */
  digits: number;
  /** Floor of the sparkline's scale (counts and percentages start at 0). */
  min?: number | undefined;
}

/**
 * The metrics of a `metrics` sample, in the order shown.
 *
 * @example
 * METRIC_DEFS.map((m) => `${m.label}: ${sample[m.key]} ${m.unit}`);
 */
export const METRIC_DEFS: readonly MetricDef[] = [
  { key: 'cpu_percent', label: 'CPU', unit: '%', digits: 1, min: 0 },
  { key: 'rss_mb', label: 'Memory (RSS)', unit: 'MB', digits: 0 },
  { key: 'heap_used_mb', label: 'Heap', unit: 'MB', digits: 1 },
  { key: 'event_loop_delay_p99_ms', label: 'Event loop p99', unit: 'ms', digits: 1, min: 0 },
  { key: 'active_executions', label: 'Active runs', unit: '', digits: 0, min: 0 },
  { key: 'connected_clients', label: 'Clients', unit: '', digits: 0, min: 0 },
];

/**
 * A metric's value as shown: `12.5 %`, `84 MB`, `3`, `1.2B MB` past a million; `n/a` when missing.
 *
 * @example
 * formatMetric(METRIC_DEFS[0], 12.46); // '12.5 %'
 */
export function formatMetric(def: MetricDef, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  // toFixed writes 1e+21 and up in exponent form; a million and up reads better grouped and rounded.
  const text =
    Math.abs(value) < 1e6
      ? value.toFixed(def.digits)
      : new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  return def.unit ? `${text} ${def.unit}` : text;
}

/**
 * A metric's series from the samples, oldest first.
 *
 * @example
 * metricSeries(state.metrics, 'cpu_percent'); // [3.1, 4.8, …]
 */
export function metricSeries(samples: readonly MetricsSample[], key: MetricDef['key']): number[] {
  return samples.map((s) => Number(s[key]));
}
