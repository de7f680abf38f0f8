import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Process health numbers, as the `metrics` message carries them (minus the counts).
 *
 * @example
 * { cpu_percent: 12.5, rss_mb: 84.2, heap_used_mb: 31.7, event_loop_delay_p99_ms: 11.3 }
 */
export interface ProcessSample {
  /** CPU time over wall time since the previous sample; 100 is one core busy. */
  cpu_percent: number;
  rss_mb: number;
  heap_used_mb: number;
  /** 99th percentile of event-loop delay since the previous sample. */
  event_loop_delay_p99_ms: number;
}

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Samples the process: CPU % from `process.cpuUsage()` deltas over wall
 * time, memory from `process.memoryUsage()`, event-loop delay p99 from
 * `perf_hooks.monitorEventLoopDelay`. Each `sample()` covers the time since
 * the previous one (or since `start()`).
 *
 * @example
 * const sampler = new ProcessSampler();
 * sampler.start();
 * setTimeout(() => console.log(sampler.sample()), 1000);
 */
export class ProcessSampler {
  #histogram: IntervalHistogram | undefined;
  #cpu = process.cpuUsage();
  #wall = process.hrtime.bigint();

  /**
   * Starts measuring event-loop delay and resets the CPU baseline.
   *
   * @example
   * sampler.start();
   */
  start(): void {
    if (!this.#histogram) {
      this.#histogram = monitorEventLoopDelay({ resolution: 10 });
      this.#histogram.enable();
    }
    this.#cpu = process.cpuUsage();
    this.#wall = process.hrtime.bigint();
  }

  /**
   * Stops the event-loop monitor (it costs a timer while on).
   *
   * @example
   * sampler.stop();
   */
  stop(): void {
    this.#histogram?.disable();
    this.#histogram = undefined;
  }

  /**
   * The numbers since the previous sample.
   *
   * @example
   * sampler.sample().cpu_percent;
   */
  sample(): ProcessSample {
    const cpu = process.cpuUsage(this.#cpu);
    const wall = process.hrtime.bigint();
    const wallUs = Number(wall - this.#wall) / 1000;
    this.#cpu = process.cpuUsage();
    this.#wall = wall;
    const mem = process.memoryUsage();
    const p99 = this.#histogram ? this.#histogram.percentile(99) / 1e6 : 0;
    this.#histogram?.reset();
    return {
      cpu_percent: wallUs > 0 ? round1(((cpu.user + cpu.system) / wallUs) * 100) : 0,
      rss_mb: round1(mem.rss / MB),
      heap_used_mb: round1(mem.heapUsed / MB),
      // An empty histogram reports nonsense (0 or NaN); no sample means no delay seen.
      event_loop_delay_p99_ms: Number.isFinite(p99) ? Math.round(p99 * 100) / 100 : 0,
    };
  }
}
