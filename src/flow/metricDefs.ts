import type { MetricsSample } from '../core/state';
import { catalogOf, DEFAULT_MESSAGES, type CanvasMessages } from './canvasMessages';

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
 * The metrics of a `metrics` sample, in the order shown. Their labels are
 * English; `MetricsPanel` shows those of its messages ({@link metricLabel}).
 *
 * @example
 * METRIC_DEFS.map((m) => `${m.label}: ${sample[m.key]} ${m.unit}`);
 */
export const METRIC_DEFS: readonly MetricDef[] = [
  { key: 'cpu_percent', label: DEFAULT_MESSAGES.metricCpu, unit: '%', digits: 1, min: 0 },
  { key: 'rss_mb', label: DEFAULT_MESSAGES.metricMemory, unit: 'MB', digits: 0 },
  { key: 'heap_used_mb', label: DEFAULT_MESSAGES.metricHeap, unit: 'MB', digits: 1 },
  { key: 'event_loop_delay_p99_ms', label: DEFAULT_MESSAGES.metricEventLoop, unit: 'ms', digits: 1, min: 0 },
  { key: 'active_executions', label: DEFAULT_MESSAGES.metricActiveRuns, unit: '', digits: 0, min: 0 },
  { key: 'connected_clients', label: DEFAULT_MESSAGES.metricClients, unit: '', digits: 0, min: 0 },
];

/**
 * A metric's name in `messages`.
 *
 * @example
 * metricLabel('rss_mb', DEFAULT_MESSAGES); // 'Memory (RSS)'
 */
export function metricLabel(key: MetricDef['key'], messages: CanvasMessages): string {
  switch (key) {
    case 'cpu_percent':
      return messages.metricCpu;
    case 'rss_mb':
      return messages.metricMemory;
    case 'heap_used_mb':
      return messages.metricHeap;
    case 'event_loop_delay_p99_ms':
      return messages.metricEventLoop;
    case 'active_executions':
      return messages.metricActiveRuns;
    case 'connected_clients':
      return messages.metricClients;
  }
}

/**
 * A metric's value as shown: `12.5 %`, `84 MB`, `3`, `1.2B MB` past a million; `n/a` when missing
 * (`messages.metricMissing`).
 *
 * @example
 * formatMetric(METRIC_DEFS[0], 12.46); // '12.5 %'
 */
export function formatMetric(def: MetricDef, value: number | undefined, given: CanvasMessages = DEFAULT_MESSAGES): string {
  const messages = catalogOf(given);
  if (value === undefined || !Number.isFinite(value)) return messages.metricMissing;
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
