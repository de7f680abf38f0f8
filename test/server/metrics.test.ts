// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ProcessSampler } from 'flowpulse/server';
import { chain, expectValidMessage } from './helpers';
import { sleep } from './recovery-helpers';
import { serverPerFile } from './test-server';
import { until, type TestClient } from './ws-client';

const metricsOf = (c: TestClient) => c.messages.filter((m) => m.type === 'metrics');

const srv = serverPerFile(() => ({ metricsIntervalMs: 40, workflows: [chain('slow', 3, 100), chain('other', 1, 1)] }));

describe('metrics', () => {
  it('go to opted-in clients of any workflow while a run is live, not to others; the timer stops when idle', async () => {
    const watcher = await srv.connect('/api/ws/workflow/other?metrics=1');
    const plain = await srv.connect('/api/ws/workflow/slow');
    await sleep(100);
    expect(srv.server.metrics.running).toBe(false); // nothing running: no timer
    expect(metricsOf(watcher)).toEqual([]);

    const { execution_id: id } = await (await fetch(`${srv.base}/api/workflows/slow/execute`, { method: 'POST' })).json();
    await until(() => srv.server.metrics.running);
    await plain.waitFor((m) => m.type === 'workflow_complete' && m.data.execution_id === id);
    await until(() => !srv.server.metrics.running, 1000);

    const samples = metricsOf(watcher);
    expect(samples.length).toBeGreaterThanOrEqual(3); // ~300 ms of run at 40 ms
    samples.forEach(expectValidMessage);
    expect(samples[0].seq).toBeUndefined();
    for (const { data } of samples) {
      expect(data.active_executions).toBe(1);
      expect(data.connected_clients).toBe(2);
      expect(data.rss_mb).toBeGreaterThan(10);
      expect(data.heap_used_mb).toBeGreaterThan(1);
      expect(data.heap_used_mb).toBeLessThanOrEqual(data.rss_mb);
      expect(data.cpu_percent).toBeGreaterThanOrEqual(0);
      expect(data.event_loop_delay_p99_ms).toBeGreaterThanOrEqual(0);
    }
    expect(metricsOf(plain)).toEqual([]);
    const count = samples.length;
    await sleep(150);
    expect(metricsOf(watcher).length).toBe(count);
    await watcher.close();
  });

  it('stop when the last opted-in client leaves, and on close', async () => {
    const watcher = await srv.connect('/api/ws/workflow/slow?metrics=true');
    await fetch(`${srv.base}/api/workflows/slow/execute`, { method: 'POST' });
    await watcher.waitFor((m) => m.type === 'metrics');
    await watcher.close();
    await until(() => !srv.server.metrics.running, 500);
    expect(srv.server.live.size).toBe(1); // still running, but nobody is watching
  });
});

describe('ProcessSampler', () => {
  it('reports CPU over wall time, memory, and event-loop delay', async () => {
    const sampler = new ProcessSampler();
    sampler.start();
    await sleep(30); // the delay monitor measures from its first tick
    const t0 = Date.now();
    while (Date.now() - t0 < 60) {
      // Busy: the loop is blocked and the CPU is used.
    }
    await sleep(20);
    const s = sampler.sample();
    sampler.stop();
    expect(s.cpu_percent).toBeGreaterThan(20);
    expect(s.event_loop_delay_p99_ms).toBeGreaterThan(20);
    expect(s.rss_mb).toBeGreaterThan(s.heap_used_mb);
  });
});
