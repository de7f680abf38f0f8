import { createMetricsMessage } from '../protocol';
import type { ConnectionManager } from './connection-manager';
import { ProcessSampler } from './process-metrics';

/**
 * Options of {@link MetricsPublisher}.
 *
 * @example
 * new MetricsPublisher({ manager, activeExecutions: () => active.size, intervalMs: 2000 });
 */
export interface MetricsPublisherOptions {
  manager: ConnectionManager;
  /** How many executions are live (running or paused) now. */
  activeExecutions: () => number;
  /** @default 1000 */
  intervalMs?: number | undefined;
}

/**
 * Sends a `metrics` message every `intervalMs` to the clients that opted in
 * (`?metrics=1`, any workflow), but only while at least one execution is
 * live and at least one such client is connected: an idle server runs no
 * timer. Call `update()` when either may have changed; the timer also stops
 * itself at the first tick that finds the server idle. The timer is
 * unref'd, so it never keeps the process alive.
 *
 * @example
 * const metrics = new MetricsPublisher({ manager, activeExecutions: () => active.size });
 * metrics.update(); // after a client connects or an execution starts or ends
 * metrics.close();
 * @default intervalMs 1000
 */
export class MetricsPublisher {
  readonly #manager: ConnectionManager;
  readonly #active: () => number;
  readonly #intervalMs: number;
  readonly #sampler = new ProcessSampler();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: MetricsPublisherOptions) {
    this.#manager = options.manager;
    this.#active = options.activeExecutions;
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  /** Whether the timer is running. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Starts or stops the timer to match the current state.
   *
   * @example
   * metrics.update();
   */
  update(): void {
    const wanted = !this.#closed && this.#intervalMs > 0 && this.#active() > 0 && this.#manager.metricsClientCount() > 0;
    if (wanted && !this.#timer) {
      this.#sampler.start();
      this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
      this.#timer.unref();
    } else if (!wanted && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#sampler.stop();
    }
  }

  /**
   * Stops for good.
   *
   * @example
   * metrics.close();
   */
  close(): void {
    this.#closed = true;
    this.update();
  }

  #tick(): void {
    this.update();
    if (!this.#timer) return;
    const metrics = {
      ...this.#sampler.sample(),
      active_executions: this.#active(),
      connected_clients: this.#manager.clientCount(),
    };
    try {
      this.#manager.broadcastToMetricsSubscribers(createMetricsMessage({ metrics }));
    } catch {
      // Metrics are best effort; a socket problem must not kill the timer's process.
    }
  }
}
