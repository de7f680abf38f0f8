import './setup-react-flow';
import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createWorkflowClient } from 'flowpulse';
import { MetricsPanel, Sparkline, WorkflowCanvas, formatMetric, METRIC_DEFS } from 'flowpulse/flow';
import { createMetricsMessage, type MetricsData } from 'flowpulse/protocol';
import { settle, testClient, withClient } from './helpers';

const sample = (i: number): MetricsData => ({
  cpu_percent: 10 + i,
  rss_mb: 80 + i * 2,
  heap_used_mb: 20.25 + i,
  event_loop_delay_p99_ms: 1.5 + i / 10,
  active_executions: i % 3,
  connected_clients: 2,
});

describe('MetricsPanel', () => {
  it('renders nothing before the first sample', () => {
    const client = testClient();
    const { container } = render(withClient(client, <MetricsPanel />));
    expect(container.innerHTML).toBe('');
  });

  it('shows the latest sample live, each metric with a labelled sparkline', () => {
    const client = testClient();
    render(withClient(client, <MetricsPanel />));
    act(() => client.store.enqueue(createMetricsMessage({ metrics: sample(0) })));
    const panel = screen.getByRole('region', { name: /Server/ });
    const value = (key: string) => panel.querySelector(`[data-metric="${key}"] .fp-metric__number`)?.textContent;
    expect(value('cpu_percent')).toBe('10.0 %');
    expect(value('rss_mb')).toBe('80 MB');
    expect(value('heap_used_mb')).toBe('20.3 MB');
    expect(value('event_loop_delay_p99_ms')).toBe('1.5 ms');
    expect(value('active_executions')).toBe('0');
    expect(value('connected_clients')).toBe('2');
    expect(within(panel).getByRole('img', { name: 'CPU: 10.0 % now' })).toBeTruthy();
    expect(panel.querySelector('time')).not.toBeNull();

    act(() => {
      for (let i = 1; i <= 4; i++) client.store.enqueue(createMetricsMessage({ metrics: sample(i) }));
    });
    expect(value('cpu_percent')).toBe('14.0 %');
    const cpu = within(panel).getByRole('img', { name: /^CPU:/ });
    expect(cpu.getAttribute('aria-label')).toBe('CPU: 14.0 % now (last 5 samples, 10.0 % to 14.0 %)');
    expect(cpu.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(5);
    expect(within(panel).getAllByRole('img')).toHaveLength(METRIC_DEFS.length);
    // Not a live region by default: samples every second would drown out the run.
    expect(panel.querySelector('[aria-live="polite"]')).toBeNull();
  });

  it('draws a bounded series: the store keeps the last maxMetrics samples', () => {
    const client = createWorkflowClient({ workflowId: '123', batch: 'sync', maxMetrics: 10 });
    render(withClient(client, <MetricsPanel live />));
    act(() => {
      for (let i = 0; i < 25; i++) client.store.enqueue(createMetricsMessage({ metrics: sample(i) }));
    });
    const cpu = screen.getByRole('img', { name: /^CPU:/ });
    expect(cpu.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(10);
    expect(cpu.getAttribute('aria-label')).toContain('last 10 samples, 25.0 % to 34.0 %');
    expect(screen.getByRole('region').querySelector('[aria-live="polite"]')).not.toBeNull();
  });

  it('shows on the canvas once samples arrive, unless showMetrics is false', async () => {
    const graph = { nodes: [{ id: 'a' }], edges: [] };
    const client = testClient();
    const view = render(withClient(client, <WorkflowCanvas graph={graph} />));
    await settle();
    expect(view.container.querySelector('.fp-metrics')).toBeNull();
    act(() => client.store.enqueue(createMetricsMessage({ metrics: sample(3) })));
    expect(view.container.querySelector('.fp-metrics')).not.toBeNull();
    view.rerender(withClient(client, <WorkflowCanvas graph={graph} showMetrics={false} />));
    expect(view.container.querySelector('.fp-metrics')).toBeNull();
  });
});

describe('Sparkline', () => {
  it('scales the series into its box, with a dot on the latest value', () => {
    const { container } = render(<Sparkline values={[0, 5, 10]} min={0} width={100} height={20} label="x" />);
    const points = container.querySelector('polyline')?.getAttribute('points');
    expect(points).toBe('2.0,18.0 50.0,10.0 98.0,2.0');
    const dot = container.querySelector('circle') as SVGCircleElement;
    expect([dot.getAttribute('cx'), dot.getAttribute('cy')]).toEqual(['98', '2']);
  });

  it('draws a flat series mid-height and a single sample as a dot', () => {
    const flat = render(<Sparkline values={[3, 3, 3]} label="flat" height={20} />);
    expect(flat.container.querySelector('polyline')?.getAttribute('points')).toMatch(/^[\d.]+,10\.0 [\d.]+,10\.0 [\d.]+,10\.0$/);
    const one = render(<Sparkline values={[7]} label="one" />);
    expect(one.container.querySelector('polyline')).toBeNull();
    expect(one.container.querySelector('circle')).not.toBeNull();
  });

  it('formats metric values with their units', () => {
    expect(formatMetric(METRIC_DEFS[0]!, 12.46)).toBe('12.5 %');
    expect(formatMetric(METRIC_DEFS[4]!, 3)).toBe('3');
    expect(formatMetric(METRIC_DEFS[1]!, 1e21)).toBe('1,000,000,000T MB');
    expect(formatMetric(METRIC_DEFS[1]!, 1_234_567_890)).toBe('1.2B MB');
    expect(formatMetric(METRIC_DEFS[1]!, Number.NaN)).toBe('n/a');
  });
});
