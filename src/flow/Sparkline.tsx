/** Props of {@link Sparkline}. */
export interface SparklineProps {
  /** The series, oldest first; only the last `maxPoints` are drawn. */
  values: readonly number[];
  /** The accessible name: say the values, the line itself is not readable. */
  label: string;
  /** @default 80 */
  width?: number | undefined;
  /** @default 20 */
  height?: number | undefined;
  /** Bottom of the scale. @default the series' minimum */
  min?: number | undefined;
  /** Top of the scale. @default the series' maximum */
  max?: number | undefined;
  /** @default 60 */
  maxPoints?: number | undefined;
  className?: string | undefined;
}

/**
 * A tiny inline SVG line chart of a series, with a dot on the latest value:
 * no chart library, no animation. `role="img"` named by `label`.
 *
 * @example
 * <Sparkline values={[3, 5, 4, 9]} label="CPU: 9 %, range 3 to 9 %" min={0} />
 */
export function Sparkline({ values, label, width = 80, height = 20, min, max, maxPoints = 60, className }: SparklineProps) {
  const series = values.slice(-maxPoints).filter(Number.isFinite);
  const lo = min ?? Math.min(...series);
  const hi = Math.max(max ?? Math.max(...series), lo);
  // A flat series sits mid-height rather than on the floor, where it would look like zero.
  const span = hi - lo || 1;
  const pad = 2;
  const x = (i: number) => (series.length < 2 ? width - pad : pad + (i * (width - 2 * pad)) / (series.length - 1));
  const y = (v: number) => (hi === lo ? height / 2 : height - pad - ((v - lo) / span) * (height - 2 * pad));
  const points = series.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = series[series.length - 1];
  return (
    <svg
      className={`fp-sparkline${className ? ` ${className}` : ''}`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      focusable="false"
    >
      {series.length > 1 && <polyline className="fp-sparkline__line" points={points} fill="none" />}
      {last !== undefined && <circle className="fp-sparkline__dot" cx={x(series.length - 1)} cy={y(last)} r={2} />}
    </svg>
  );
}
