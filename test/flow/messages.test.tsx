import './setup-react-flow';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { INITIAL_CONNECTION, type ConnectionState } from 'flowpulse';
import {
  CanvasMessagesProvider,
  ConnectionIndicator,
  DEFAULT_MESSAGES,
  ErrorBanner,
  LogPanel,
  MetricsPanel,
  ProgressBar,
  StatusBadge,
  WorkflowCanvas,
  connectionSummary,
  connectionText,
  formatDuration,
  formatMetric,
  formatValue,
  graphToFlow,
  METRIC_DEFS,
  useCanvasMessages,
  type CanvasMessages,
  type WorkflowGraph,
} from 'flowpulse/flow';
import { createMetricsMessage } from 'flowpulse/protocol';
import { msg, settle, testClient, withClient } from './helpers';

/** Part of a German catalog: the keys left out stay English. */
const de: Partial<CanvasMessages> = {
  statusRunning: 'Läuft',
  statusCompleted: 'Abgeschlossen',
  statusError: 'Fehler',
  duration: (ms) => formatDuration(ms).replace('.', ','),
  percent: (p) => `${p} %`,
  canvasLabel: 'Workflow-Graph',
  nodeKeys: 'Leertaste wählt einen Knoten aus.',
  edgeLabel: (source, target) => `Von ${source} nach ${target}`,
  nodeDetailsHint: (label) => `: ${label}, Details zeigen`,
  close: 'Schließen',
  detailsTitle: (label, status) => `${label}: ${status === 'error' ? 'fehlgeschlagen' : 'abgeschlossen'}`,
  detailsStartedAt: 'Gestartet um',
  detailsRanFor: 'Lief',
  detailsResult: 'Ergebnis',
  progressLabel: 'Fortschritt',
  progressWaiting: 'Warte auf einen Lauf',
  stepOf: (step, total) => `Schritt ${step} von ${total}`,
  percentSpoken: (p) => `${p} Prozent`,
  progressRunningNode: (name) => `läuft: ${name}`,
  progressCompleted: (d) => `Abgeschlossen${d ? ` in ${d}` : ''}`,
  runStarted: 'Lauf gestartet',
  connectionDisconnected: (reason) => `Getrennt${reason ? `: ${reason}` : ''}`,
  closedNotStarted: 'nicht gestartet',
  errorsCount: (n) => `${n} Fehler in diesem Lauf`,
  errorsAnnouncement: (heading, latest) => `${heading}. Zuletzt: ${latest}`,
  logTitle: 'Protokoll',
  logCount: (shown, total) => (shown === total ? `${total} Zeilen` : `${shown} von ${total} Zeilen`),
  logFilteredTo: (node) => <>Gefiltert auf {node}</>,
  logNodeFilter: 'Knoten',
  logAllNodes: 'Alle Knoten',
  logLevelFilter: 'Zeige',
  logAllLevels: 'Alle Stufen',
  logEmpty: 'Noch keine Protokollzeilen.',
  logLevelWarning: 'WARNUNG',
  toolbarLabel: 'Laufsteuerung',
  run: 'Starten',
  pause: 'Pausieren',
  resume: 'Fortsetzen',
  cancel: 'Abbrechen',
  actionFailed: (label, error) => `${label} fehlgeschlagen: ${error}`,
  metricsTitle: 'Server-Zustand',
  metricCpu: 'Prozessor',
};

const graph: WorkflowGraph = {
  nodes: [
    { id: 'fetch', label: 'Fetch orders' },
    { id: 'parse', label: 'Parse' },
  ],
  edges: [{ source: 'fetch', target: 'parse' }],
};

const fakeFetch = (status: number, body: unknown) =>
  vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

/** A German canvas with the toolbar, settled; `send` feeds its store. */
async function germanCanvas(messages: Partial<CanvasMessages> = de) {
  const client = testClient();
  const control = { fetch: fakeFetch(409, { error: 'execution is not running' }) };
  const view = render(
    withClient(
      client,
      <div style={{ height: 700 }}>
        <WorkflowCanvas graph={graph} messages={messages} showToolbar control={control} />
      </div>,
    ),
  );
  await settle();
  const send = (...m: Parameters<typeof client.store.enqueue>[0][]) => act(() => m.forEach((x) => client.store.enqueue(x)));
  const node = (id: string) => view.container.querySelector(`.react-flow__node[data-id="${id}"] .fp-node`) as HTMLElement;
  return { client, view, send, node };
}

describe('a canvas given a partial catalog', () => {
  it('speaks it in its nodes, progress bar, connection indicator and graph region, English where a key is missing', async () => {
    const { view, send, node } = await germanCanvas();
    expect(screen.getByRole('region', { name: 'Workflow-Graph' })).toBeTruthy();
    // Untranslated: pending stays English.
    expect(node('fetch').querySelector('.fp-badge__text')?.textContent).toBe('Pending');
    const bar = screen.getByRole('progressbar', { name: 'Fortschritt' });
    expect(view.container.querySelector('.fp-progress__text')?.textContent).toBe('Warte auf einen Lauf');
    expect(screen.getByRole('status').textContent).toBe('Getrennt: nicht gestartet');

    send(msg.start(['fetch', 'parse']), msg.progress(1, 2, 'fetch'), msg.status('fetch', 'running'));
    expect(node('fetch').querySelector('.fp-badge__text')?.textContent).toBe('Läuft');
    expect(view.container.querySelector('.fp-progress__text')?.textContent).toBe('50 % · Schritt 1 von 2 · Fetch orders');
    expect(bar.getAttribute('aria-valuetext')).toBe('50 Prozent, Schritt 1 von 2, läuft: Fetch orders');
    expect(view.container.querySelector('.fp-progress [aria-live="polite"]')?.textContent).toBe('Lauf gestartet');

    send(msg.status('fetch', 'completed', 1500), msg.status('parse', 'completed', 2000), msg.complete(true, 5.23));
    expect(view.container.querySelector('.fp-progress__text')?.textContent).toBe('Abgeschlossen in 5,2 s');
    expect(bar.getAttribute('aria-valuetext')).toBe('100 Prozent, Abgeschlossen in 5,2 s');
    // Not in the catalog: the announcement stays English, with the translated duration.
    expect(view.container.querySelector('.fp-progress [aria-live="polite"]')?.textContent).toBe('Run completed in 5,2 s');
    expect(node('fetch').querySelector('.fp-node__duration')?.textContent).toBe('1,5 s');
  });

  it('names its edges and describes its nodes in it; React Flow’s own words come from flowProps.ariaLabelConfig', async () => {
    const client = testClient();
    const flowProps = { ariaLabelConfig: { 'controls.zoomIn.ariaLabel': 'Vergrößern' } };
    const { container } = render(
      withClient(
        client,
        <div style={{ height: 700 }}>
          <WorkflowCanvas graph={graph} messages={de} flowProps={flowProps} />
        </div>,
      ),
    );
    await settle();
    expect(container.querySelector('.react-flow__edge')?.getAttribute('aria-label')).toBe('Von Fetch orders nach Parse');
    const wrapper = container.querySelector('.react-flow__node[data-id="fetch"]') as HTMLElement;
    const described = (wrapper.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Leertaste wählt einen Knoten aus.');
    expect(screen.getByRole('button', { name: 'Vergrößern' })).toBeTruthy();
  });

  it('speaks it in the log panel: heading, count, filters, chip and empty text', async () => {
    const { send, view } = await germanCanvas();
    const logs = screen.getByRole('region', { name: 'Protokoll' });
    expect(within(logs).getByText('Noch keine Protokollzeilen.')).toBeTruthy();
    expect(within(logs).getByText('0 Zeilen')).toBeTruthy();
    const nodeFilter = within(logs).getByRole('combobox', { name: 'Knoten' });
    expect(within(nodeFilter).getByRole('option', { name: 'Alle Knoten' })).toBeTruthy();
    const levelFilter = within(logs).getByRole('combobox', { name: 'Zeige' });
    expect([...levelFilter.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Alle Stufen',
      'Warnings and errors', // not in the catalog
      'Errors only',
    ]);

    send(msg.start(['fetch', 'parse']), msg.log('slow answer', 'warning', 'fetch'));
    await settle();
    expect(within(logs).getByText('WARNUNG')).toBeTruthy();
    fireEvent.click(view.container.querySelector('.react-flow__node[data-id="fetch"]') as HTMLElement);
    await settle();
    expect(within(logs).getByText(/Gefiltert auf/).textContent).toBe('Gefiltert auf Fetch orders — Clear');
    expect(
      within(logs)
        .getByText(/Gefiltert auf/)
        .querySelector('strong')?.textContent,
    ).toBe('Fetch orders');
  });

  it('speaks it in the error banner and its announcement', async () => {
    const { send, view } = await germanCanvas();
    send(msg.start(['fetch', 'parse']), msg.error('timeout', 'fetch'));
    expect(screen.getByRole('heading', { name: '1 Fehler in diesem Lauf' })).toBeTruthy();
    expect(view.container.querySelector('.fp-errors-region [aria-live="assertive"]')?.textContent).toBe(
      '1 Fehler in diesem Lauf. Zuletzt: timeout',
    );
  });

  it('speaks it in the node details dialog', async () => {
    const { send, node } = await germanCanvas();
    send(msg.start(['fetch', 'parse']), msg.status('fetch', 'running', 0), msg.status('fetch', 'completed', 1500, { result: { rows: 3 } }));
    expect(within(node('fetch')).getByRole('button', { name: 'Abgeschlossen: Fetch orders, Details zeigen' })).toBeTruthy();
    fireEvent.doubleClick(node('fetch'));
    const dialog = screen.getByRole('dialog', { name: 'Fetch orders: abgeschlossen' });
    const terms = [...dialog.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(terms).toEqual(['Status', 'Node', 'Finished at', 'Gestartet um', 'Lief', 'Ergebnis']);
    expect(within(dialog).getByText('1,5 s')).toBeTruthy();
    expect(within(dialog).getByText('Abgeschlossen')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Schließen' })).toBeTruthy();
  });

  it('speaks it in the run toolbar and its failure alert', async () => {
    const { send } = await germanCanvas();
    const toolbar = screen.getByRole('toolbar', { name: 'Laufsteuerung' });
    expect(
      within(toolbar)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Starten', 'Pausieren', 'Fortsetzen', 'Abbrechen']);
    send(msg.start(['fetch', 'parse']));
    await act(async () => fireEvent.click(within(toolbar).getByRole('button', { name: 'Pausieren' })));
    expect(screen.getByRole('alert').textContent).toBe('Pausieren fehlgeschlagen: execution is not running');
  });

  it('speaks it in the metrics panel', async () => {
    const { client } = await germanCanvas();
    act(() =>
      client.store.enqueue(
        createMetricsMessage({
          metrics: {
            cpu_percent: 12,
            rss_mb: 80,
            heap_used_mb: 20,
            event_loop_delay_p99_ms: 1.5,
            active_executions: 1,
            connected_clients: 2,
          },
        }),
      ),
    );
    const panel = screen.getByRole('region', { name: /Server-Zustand/ });
    expect(within(panel).getByText('Prozessor')).toBeTruthy();
    expect(within(panel).getByText('Memory (RSS)')).toBeTruthy();
    expect(within(panel).getByRole('img', { name: 'Prozessor: 12.0 % now' })).toBeTruthy();
  });

  it('follows a change of catalog, keeping the selection (the nodes are not replaced)', async () => {
    const client = testClient();
    function Switcher() {
      const [lang, setLang] = useState<'en' | 'de'>('en');
      return (
        <div style={{ height: 700 }}>
          <button type="button" onClick={() => setLang('de')}>
            Deutsch
          </button>
          <WorkflowCanvas graph={graph} messages={lang === 'de' ? de : undefined} />
        </div>
      );
    }
    const { container } = render(withClient(client, <Switcher />));
    await settle();
    const wrapper = () => container.querySelector('.react-flow__node[data-id="fetch"]') as HTMLElement;
    fireEvent.click(wrapper());
    await settle();
    expect(wrapper().classList.contains('selected')).toBe(true);
    expect(container.querySelector('.react-flow__edge')?.getAttribute('aria-label')).toBe('From Fetch orders to Parse');

    fireEvent.click(screen.getByRole('button', { name: 'Deutsch' }));
    await settle();
    expect(screen.getByRole('region', { name: 'Workflow-Graph' })).toBeTruthy();
    expect(container.querySelector('.react-flow__edge')?.getAttribute('aria-label')).toBe('Von Fetch orders nach Parse');
    expect(wrapper().classList.contains('selected')).toBe(true);
  });
});

describe('CanvasMessagesProvider', () => {
  const reconnecting: ConnectionState = { ...INITIAL_CONNECTION, status: 'reconnecting', attempt: 3, why: 'server', closeCode: 1006 };

  it('translates panels used on their own; without it they are English', () => {
    const client = testClient();
    act(() => client.store.setState({ connection: reconnecting }));
    const panels = (
      <>
        <ProgressBar />
        <ConnectionIndicator />
        <LogPanel />
        <StatusBadge status="running" />
      </>
    );
    const ja: Partial<CanvasMessages> = {
      progressWaiting: '実行待ち',
      connectionReconnecting: (attempt, reason) =>
        `再接続中${attempt === null ? '' : `（${attempt} 回目）`}…${reason ? ` — ${reason}` : ''}`,
      closedByServer: 'サーバーが切断しました',
      connectionAttempt: (n) => `${n} 回目`,
      reconnect: '再接続',
      logTitle: 'ログ',
      statusRunning: '実行中',
    };
    const translated = render(withClient(client, <CanvasMessagesProvider messages={ja}>{panels}</CanvasMessagesProvider>));
    expect(translated.getByText('実行待ち')).toBeTruthy();
    expect(translated.getByRole('status').textContent).toBe('再接続中… — サーバーが切断しました');
    expect(translated.container.querySelector('.fp-connection__attempt')?.textContent).toBe(' (3 回目)');
    expect(translated.getByRole('button', { name: '再接続' })).toBeTruthy();
    expect(translated.getByRole('region', { name: 'ログ' })).toBeTruthy();
    expect(translated.getByText('実行中')).toBeTruthy();
    // Untranslated keys are English.
    expect(translated.getByText('No log lines yet.')).toBeTruthy();
    translated.unmount();

    const english = render(withClient(client, panels));
    expect(english.getByText('Waiting for a run')).toBeTruthy();
    expect(english.getByRole('status').textContent).toBe('Reconnecting… — closed by the server');
    expect(english.getByRole('button', { name: 'Reconnect' })).toBeTruthy();
    expect(english.getByRole('region', { name: 'Logs' })).toBeTruthy();
    expect(english.getByText('Running')).toBeTruthy();
  });

  it('merges key by key with an enclosing provider; a canvas inside one speaks both', async () => {
    const client = testClient();
    const { container } = render(
      withClient(
        client,
        <CanvasMessagesProvider messages={{ logTitle: 'Protokoll', progressWaiting: 'Warte' }}>
          <CanvasMessagesProvider messages={{ progressWaiting: 'Bitte warten' }}>
            <ProgressBar />
            <LogPanel />
          </CanvasMessagesProvider>
          <div style={{ height: 600 }}>
            <WorkflowCanvas graph={graph} messages={{ canvasLabel: 'Graph' }} showLogs={false} />
          </div>
        </CanvasMessagesProvider>,
      ),
    );
    await settle();
    expect(screen.getByText('Bitte warten')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Protokoll' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Graph' })).toBeTruthy();
    expect(container.querySelector('.fp-canvas .fp-progress__text')?.textContent).toBe('Warte');
  });

  it('keeps one catalog while an inline one has the same texts', () => {
    const seen: CanvasMessages[] = [];
    function Probe() {
      seen.push(useCanvasMessages());
      return null;
    }
    const view = render(
      <CanvasMessagesProvider messages={{ logTitle: 'Protokoll' }}>
        <Probe />
      </CanvasMessagesProvider>,
    );
    view.rerender(
      <CanvasMessagesProvider messages={{ logTitle: 'Protokoll' }}>
        <Probe />
      </CanvasMessagesProvider>,
    );
    view.rerender(
      <CanvasMessagesProvider messages={{ logTitle: 'Logbuch', run: undefined }}>
        <Probe />
      </CanvasMessagesProvider>,
    );
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]!.logTitle).toBe('Logbuch');
    // A key given as undefined falls back.
    expect(seen[2]!.run).toBe('Run');
  });
});

describe('the text helpers take a catalog, English by default', () => {
  it('connection texts', () => {
    const c: ConnectionState = { ...INITIAL_CONNECTION, status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' };
    expect(connectionText(c)).toBe('Stalled: the server stopped answering — reconnecting (attempt 2)…');
    const m: CanvasMessages = {
      ...DEFAULT_MESSAGES,
      connectionStalled: (yes, n) => `Blockiert${yes ? ` — neuer Versuch${n === null ? '' : ` (${n})`}` : ''}`,
    };
    expect(connectionText(c, m)).toBe('Blockiert — neuer Versuch (2)');
    expect(connectionSummary(c, m)).toBe('Blockiert — neuer Versuch');
  });

  it('durations, values, metrics and edge names', () => {
    const m: CanvasMessages = {
      ...DEFAULT_MESSAGES,
      duration: (ms) => `${Math.round(ms / 1000)} 秒`,
      resultNone: 'なし',
      metricMissing: '—',
      edgeLabel: (s, t, label) => `${s} → ${t}${label ? `（${label}）` : ''}`,
    };
    expect(formatDuration(5000)).toBe('5.0 s');
    expect(formatDuration(5000, m)).toBe('5 秒');
    expect(formatValue(null, m)).toBe('なし');
    expect(formatMetric(METRIC_DEFS[0]!, undefined, m)).toBe('—');
    const g: WorkflowGraph = { nodes: [{ id: 'a', label: 'A' }, { id: 'b' }], edges: [{ source: 'a', target: 'b', label: 'rows' }] };
    expect(graphToFlow(g).edges[0]!.ariaLabel).toBe('From A to b: rows');
    expect(graphToFlow(g, m).edges[0]!.ariaLabel).toBe('A → b（rows）');
  });
});

describe('the metrics panel on its own', () => {
  it('reads the provider too', () => {
    const client = testClient();
    render(
      withClient(
        client,
        <CanvasMessagesProvider messages={{ metricsTitle: 'サーバー', metricsAsOf: (time) => <>{time} 時点</> }}>
          <MetricsPanel />
          <ErrorBanner />
        </CanvasMessagesProvider>,
      ),
    );
    act(() =>
      client.store.enqueue(
        createMetricsMessage({
          metrics: { cpu_percent: 1, rss_mb: 1, heap_used_mb: 1, event_loop_delay_p99_ms: 1, active_executions: 0, connected_clients: 1 },
        }),
      ),
    );
    const heading = screen.getByRole('heading', { name: /サーバー/ });
    expect(heading.textContent).toMatch(/^サーバー \d\d:\d\d:\d\d\.\d{3} 時点$/);
  });
});
