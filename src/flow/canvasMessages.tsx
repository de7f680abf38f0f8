import type { ReactNode } from 'react';
import type { NodeStatusName } from './statusLabels';

/**
 * Every word the canvas and its panels show or announce, one key per text,
 * for translating them (give a partial catalog to `WorkflowCanvas`'s
 * `messages`, or to a {@link CanvasMessagesProvider} around panels used on
 * their own). Texts with variables are functions; plurals are theirs to
 * handle. Where a function takes text as well as numbers (a node's label, a
 * duration already formatted, a server's reason), that text goes in as it is.
 * The English of {@link DEFAULT_MESSAGES} is each key's default, shown in its
 * description. Three keys place an element (the node's name in bold, a time, a
 * URL) among their words and return a `ReactNode`: write them as fragments,
 * `(node) => <>Nur {node}</>`, not template strings.
 *
 * @example
 * const de: CanvasMessageOverrides = { statusRunning: 'Läuft', stepOf: (step, total) => `Schritt ${step} von ${total}` };
 */
export interface CanvasMessages {
  // ── Node statuses: the word beside each status's icon, so status never rests on colour alone.
  /** `Pending` */
  statusPending: string;
  /** `Running` */
  statusRunning: string;
  /** `Completed` */
  statusCompleted: string;
  /** `Error` */
  statusError: string;
  /** `Unknown`: a node last seen running in a run the server has forgotten. */
  statusUnknown: string;

  // ── Numbers and times.
  /**
   * A duration: `850 ms`, `1.2 s`, `42 s`, `2 min 5 s`. The English one rounds first, then picks
   * the unit; a language with the same units can build on it: `(ms) => formatDuration(ms).replace('.', ',')`.
   */
  duration: (ms: number) => string;
  /** A point in time (epoch ms), in the node details: `new Date(time).toLocaleString()`. */
  dateTime: (time: number) => string;
  /** A whole percentage as shown: `40%`. */
  percent: (percent: number) => string;

  // ── The canvas.
  /** The graph region's accessible name: `Workflow graph`. */
  canvasLabel: string;
  /**
   * What keys do on a node, as React Flow describes every node to assistive technology:
   * `Press Space to select a node and show only its logs, arrow keys to move it.`
   */
  nodeKeys: string;
  /** An edge of a `graph`, named for assistive technology: `From Fetch to Parse`, `From Fetch to Parse: rows`. */
  edgeLabel: (source: string, target: string, label: string | null) => string;
  /** While the layout code loads, after a moment: `Laying out the graph…` */
  layoutPending: string;
  /** The layout code did not load (the loader's error follows): `The graph could not be laid out: its layout code did not load.` */
  layoutFailed: string;
  /** The button that tries a failed thing again (layout, sign-in, a result's fetch): `Try again` */
  tryAgain: string;

  // ── A node.
  /** After the status word in a finished node's details button, hidden: `: Fetch, show details` (its name reads `Completed: Fetch, show details`). */
  nodeDetailsHint: (label: string) => string;
  /** Said of a finished node after its description: `Press Enter for its details.` */
  nodeEnterForDetails: string;
  /** The chip of a running node that went silent: `Stalled` */
  nodeStalled: string;
  /** The stalled chip's tooltip: `Running, but no news from this node for a while` */
  nodeStalledHint: string;
  /** The tooltip of a finished node's duration: `Duration` */
  nodeDuration: string;

  // ── The node details dialog.
  /** A dialog's close button: `Close` */
  close: string;
  /** The dialog's title: `Fetch failed`, `Fetch completed`. */
  detailsTitle: (label: string, status: NodeStatusName) => string;
  /** `A new run has started since: these details are from the earlier run.` */
  detailsOutdated: string;
  /** A failed node that gave no message: `No error message was given.` */
  detailsNoError: string;
  /** `Status` */
  detailsStatus: string;
  /** `Node` (its id follows) */
  detailsNode: string;
  /** `Failed at` */
  detailsFailedAt: string;
  /** `Finished at` */
  detailsFinishedAt: string;
  /** `Started at` */
  detailsStartedAt: string;
  /** `Ran for` */
  detailsRanFor: string;
  /** `Result` */
  detailsResult: string;
  /** A time the server did not send: `unknown` */
  detailsTimeUnknown: string;

  // ── A node's result.
  /** A result that is `null` or missing: `none` */
  resultNone: string;
  /** `Loading the full result…` */
  resultLoading: string;
  /** Announced once a result is in: `Result loaded (1,234 characters)` */
  resultLoaded: (characters: number) => string;
  /** Announced when its fetch failed: `Could not load the result` */
  resultLoadFailed: string;
  /** Shown when its fetch failed: `Could not load the result: HTTP 500` */
  resultLoadError: (error: string) => string;
  /** A result fetched over HTTP; `url` is a `<code>`: `Too large to stream; fetched from <code>/api/…</code>` */
  resultFetchedFrom: (url: ReactNode) => ReactNode;
  /** Long text cut short, shown whole: `Show all` */
  showAll: string;
  /** `Show less` */
  showLess: string;
  /** Beside long text shown whole: `1,234,567 characters` */
  textCharacters: (total: number) => string;
  /** Beside long text cut short: `First 20,000 of 1,234,567 characters` */
  textFirstCharacters: (shown: number, total: number) => string;

  // ── The progress bar.
  /** The bar's accessible name: `Workflow progress` */
  progressLabel: string;
  /** Before any run: `Waiting for a run` */
  progressWaiting: string;
  /** `step 2 of 5` (shown, spoken, and in `Run paused at step 2 of 5`) */
  stepOf: (step: number, total: number) => string;
  /** Where an ended run stopped: `after 2 of 5 steps` (never for 0 steps: the run then just says how it ended). */
  afterSteps: (step: number, total: number) => string;
  /** `Completed in 5.2 s`, `Completed`; `duration` is formatted by {@link CanvasMessages.duration}. */
  progressCompleted: (duration: string | null) => string;
  /** `Failed after 2 of 5 steps`, `Failed`; `after` is {@link CanvasMessages.afterSteps}'s. */
  progressFailed: (after: string | null) => string;
  /** `Paused · 40% · step 2 of 5`; `where` is the percent and step, joined. */
  progressPaused: (where: string) => string;
  /** `Cancelled after 2 of 5 steps: cancelled by user`; `reason` is the server's. */
  progressCancelled: (after: string | null, reason: string | null) => string;
  /** Added to the text and value text of a run the server forgot: `the server no longer knows this run` */
  progressStale: string;
  /** The bar's value text starts with it: `40 percent` */
  percentSpoken: (percent: number) => string;
  /** In the value text of a live run: `running Parse` */
  progressRunningNode: (name: string) => string;
  /** In the value text of a paused run: `paused` */
  progressPausedSpoken: string;
  /** Announced: `Run started` */
  runStarted: string;
  /** Announced: `Run resumed` */
  runResumed: string;
  /** Announced: `Run paused at step 2 of 5`, `Run paused`; `step` is {@link CanvasMessages.stepOf}'s. */
  runPaused: (step: string | null) => string;
  /** Announced: `Run completed in 5.2 s`, `Run completed` */
  runCompleted: (duration: string | null) => string;
  /** Announced: `Run failed after 2 of 5 steps`, `Run failed` */
  runFailed: (after: string | null) => string;
  /** Announced: `Run cancelled after 2 of 5 steps: cancelled by user` */
  runCancelled: (after: string | null, reason: string | null) => string;

  // ── The connection. A close code the server sent follows these texts as ` (4401 unauthorized)`.
  /** `Connected` */
  connectionConnected: string;
  /** `Connecting…` */
  connectionConnecting: string;
  /**
   * `Reconnecting (attempt 3)… — closed by the server`. `attempt` is `null` in what the indicator
   * announces (a retry loop is announced once); `reason` is one of the `closed*` texts.
   */
  connectionReconnecting: (attempt: number | null, reason: string | null) => string;
  /** The server went silent: `Stalled: the server stopped answering — reconnecting (attempt 2)…` */
  connectionStalled: (reconnecting: boolean, attempt: number | null) => string;
  /** `Offline: reconnecting when the network is back`, `Offline` */
  connectionOffline: (reconnecting: boolean) => string;
  /** `Connection error — reconnecting (attempt 2)…`, `Connection error` */
  connectionError: (reconnecting: boolean, attempt: number | null) => string;
  /** `Connection refused by the server` */
  connectionRefused: string;
  /** `Disconnected: gave up reconnecting` */
  connectionGaveUp: string;
  /** `Disconnected: closed by the server`, `Disconnected`; `reason` is one of the `closed*` texts. */
  connectionDisconnected: (reason: string | null) => string;
  /** Shown after the indicator's words while reconnecting, in brackets: `attempt 3` */
  connectionAttempt: (attempt: number) => string;
  /** Why a socket closed, `not-started`: `not started` */
  closedNotStarted: string;
  /** `client`: `closed` */
  closedByClient: string;
  /** `server`: `closed by the server` */
  closedByServer: string;
  /** `fatal`: `refused by the server` */
  closedFatal: string;
  /** `max-attempts`: `gave up reconnecting` */
  closedMaxAttempts: string;
  /** `heartbeat-timeout`: `the server stopped answering` */
  closedHeartbeatTimeout: string;
  /** `offline`: `offline` */
  closedOffline: string;
  /** `error`: `connection error` */
  closedError: string;
  /** The indicator's retry button: `Reconnect` */
  reconnect: string;
  /** A 4401: `Not signed in` */
  notSignedIn: string;
  /** A 4403 or 1008: `Not allowed to watch this workflow` */
  notAllowed: string;
  /** After `Not signed in` in the sign-in notice: `Sign in, then try again.` */
  notSignedInDetail: string;
  /** After `Not allowed…` in the sign-in notice: `Your account cannot watch this workflow. Ask its owner for access.` */
  notAllowedDetail: string;
  /** The stale-run notice: `The server no longer knows this run — showing the last known state` */
  staleRun: string;
  /** After it: `Nodes that were running are shown as Unknown. Start a new run to see live state.` */
  staleRunDetail: string;

  // ── The error banner.
  /** The heading: `1 error in this run`, `3 errors in this run` */
  errorsCount: (count: number) => string;
  /** The heading of a failed run with no `error` messages: `The run failed` */
  errorsRunFailed: string;
  /** The heading of a cancelled run: `The run was cancelled` */
  errorsRunCancelled: string;
  /** Announced: `1 error in this run. Latest: timeout`; `latest` is the newest message, as sent. */
  errorsAnnouncement: (heading: string, latest: string | null) => string;
  /** Ends the name of an error's node button, hidden: `(show this node)` */
  errorsShowNode: string;

  // ── The log panel.
  /** The heading: `Logs` */
  logTitle: string;
  /** `5 lines`, `2 of 5 lines`, `2 of 4 lines, 6 earlier dropped` */
  logCount: (shown: number, total: number, dropped: number) => string;
  /** The node-filter chip; `node` is the node's name, in bold: `Filtered to node <strong>Parse</strong>` */
  logFilteredTo: (node: ReactNode) => ReactNode;
  /** The chip's button: `Clear` */
  logClearFilter: string;
  /** Its accessible name: `Clear the node filter (Parse)` */
  logClearFilterLabel: (name: string) => string;
  /** The node filter's label: `Node` */
  logNodeFilter: string;
  /** `All nodes` */
  logAllNodes: string;
  /** The level filter's label: `Show` */
  logLevelFilter: string;
  /** `All levels` */
  logAllLevels: string;
  /** `Warnings and errors` */
  logWarningsAndErrors: string;
  /** `Errors only` */
  logErrorsOnly: string;
  /** `Jump to latest` */
  logJumpToLatest: string;
  /** `No log lines yet.` */
  logEmpty: string;
  /** `No log lines from Parse.` */
  logEmptyNode: (name: string) => string;
  /** The tooltip of a line's node name: `Show this node` */
  logShowNode: string;
  /** A line's level, a word: `INFO` */
  logLevelInfo: string;
  /** `WARN` */
  logLevelWarning: string;
  /** `ERROR` */
  logLevelError: string;

  // ── The run toolbar.
  /** The toolbar's accessible name: `Run controls` */
  toolbarLabel: string;
  /** `Run` */
  run: string;
  /** `Pause` */
  pause: string;
  /** `Resume` */
  resume: string;
  /** `Cancel` */
  cancel: string;
  /** A request that failed, as an alert: `Cancel failed: HTTP 409`; `label` is the button's word, `error` the client's. */
  actionFailed: (label: string, error: string, action: 'run' | 'pause' | 'resume' | 'cancel') => string;

  // ── The metrics panel.
  /** The heading: `Server` */
  metricsTitle: string;
  /** After the heading; `time` is a `<time>`: `as of <time>10:30:00.123</time>` */
  metricsAsOf: (time: ReactNode) => ReactNode;
  /** `CPU` */
  metricCpu: string;
  /** `Memory (RSS)` */
  metricMemory: string;
  /** `Heap` */
  metricHeap: string;
  /** `Event loop p99` */
  metricEventLoop: string;
  /** `Active runs` */
  metricActiveRuns: string;
  /** `Clients` */
  metricClients: string;
  /** A value the sample lacks: `n/a` */
  metricMissing: string;
  /** A sparkline's accessible name: `CPU: 12.5 % now (last 30 samples, 3.1 % to 40.2 %)`; values come formatted. */
  metricSparkline: (label: string, value: string, range: { samples: number; min: string; max: string } | null) => string;
}

/**
 * Some of the texts of {@link CanvasMessages}, as `messages` takes them; a
 * key given as `undefined` keeps the text it would have had.
 *
 * @example
 * const de: CanvasMessageOverrides = { statusRunning: 'Läuft', logTitle: props.logTitle };
 */
export type CanvasMessageOverrides = { [K in keyof CanvasMessages]?: CanvasMessages[K] | undefined };

/** `1,234` */
const count = (n: number) => n.toLocaleString('en');

function duration(ms: number): string {
  const wholeMs = Math.round(ms);
  if (wholeMs < 1000) return `${wholeMs} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const attempt = (n: number | null) => (n === null ? '' : ` (attempt ${n})`);
const reconnecting = (yes: boolean, n: number | null) => (yes ? ` — reconnecting${attempt(n)}…` : '');
const after = (text: string | null) => (text ? ` ${text}` : '');
const because = (reason: string | null) => (reason ? `: ${reason}` : '');

/**
 * The canvas's words in English: what it shows without a translation, and
 * what keys left out of one fall back to. See {@link CanvasMessages}.
 *
 * @example
 * DEFAULT_MESSAGES.stepOf(2, 5); // 'step 2 of 5'
 * const fr: CanvasMessages = { ...DEFAULT_MESSAGES, statusRunning: 'En cours' };
 */
export const DEFAULT_MESSAGES: CanvasMessages = {
  statusPending: 'Pending',
  statusRunning: 'Running',
  statusCompleted: 'Completed',
  statusError: 'Error',
  statusUnknown: 'Unknown',

  duration,
  dateTime: (time) => new Date(time).toLocaleString(),
  percent: (percent) => `${percent}%`,

  canvasLabel: 'Workflow graph',
  nodeKeys: 'Press Space to select a node and show only its logs, arrow keys to move it.',
  edgeLabel: (source, target, label) => `From ${source} to ${target}${because(label)}`,
  layoutPending: 'Laying out the graph…',
  layoutFailed: 'The graph could not be laid out: its layout code did not load.',
  tryAgain: 'Try again',

  nodeDetailsHint: (label) => `: ${label}, show details`,
  nodeEnterForDetails: 'Press Enter for its details.',
  nodeStalled: 'Stalled',
  nodeStalledHint: 'Running, but no news from this node for a while',
  nodeDuration: 'Duration',

  close: 'Close',
  detailsTitle: (label, status) => (status === 'error' ? `${label} failed` : `${label} ${status}`),
  detailsOutdated: 'A new run has started since: these details are from the earlier run.',
  detailsNoError: 'No error message was given.',
  detailsStatus: 'Status',
  detailsNode: 'Node',
  detailsFailedAt: 'Failed at',
  detailsFinishedAt: 'Finished at',
  detailsStartedAt: 'Started at',
  detailsRanFor: 'Ran for',
  detailsResult: 'Result',
  detailsTimeUnknown: 'unknown',

  resultNone: 'none',
  resultLoading: 'Loading the full result…',
  resultLoaded: (n) => `Result loaded (${count(n)} ${n === 1 ? 'character' : 'characters'})`,
  resultLoadFailed: 'Could not load the result',
  resultLoadError: (error) => `Could not load the result: ${error}`,
  resultFetchedFrom: (url) => <>Too large to stream; fetched from {url}</>,
  showAll: 'Show all',
  showLess: 'Show less',
  textCharacters: (total) => `${count(total)} characters`,
  textFirstCharacters: (shown, total) => `First ${count(shown)} of ${count(total)} characters`,

  progressLabel: 'Workflow progress',
  progressWaiting: 'Waiting for a run',
  stepOf: (step, total) => `step ${step} of ${total}`,
  afterSteps: (step, total) => `after ${step} of ${total} step${total === 1 ? '' : 's'}`,
  progressCompleted: (d) => `Completed${d === null ? '' : ` in ${d}`}`,
  progressFailed: (a) => `Failed${after(a)}`,
  progressPaused: (where) => `Paused · ${where}`,
  progressCancelled: (a, reason) => `Cancelled${after(a)}${because(reason)}`,
  progressStale: 'the server no longer knows this run',
  percentSpoken: (percent) => `${percent} percent`,
  progressRunningNode: (name) => `running ${name}`,
  progressPausedSpoken: 'paused',
  runStarted: 'Run started',
  runResumed: 'Run resumed',
  runPaused: (step) => `Run paused${step === null ? '' : ` at ${step}`}`,
  runCompleted: (d) => `Run completed${d === null ? '' : ` in ${d}`}`,
  runFailed: (a) => `Run failed${after(a)}`,
  runCancelled: (a, reason) => `Run cancelled${after(a)}${because(reason)}`,

  connectionConnected: 'Connected',
  connectionConnecting: 'Connecting…',
  connectionReconnecting: (n, reason) => `Reconnecting${attempt(n)}…${reason ? ` — ${reason}` : ''}`,
  connectionStalled: (yes, n) => `Stalled: the server stopped answering${reconnecting(yes, n)}`,
  connectionOffline: (yes) => (yes ? 'Offline: reconnecting when the network is back' : 'Offline'),
  connectionError: (yes, n) => `Connection error${reconnecting(yes, n)}`,
  connectionRefused: 'Connection refused by the server',
  connectionGaveUp: 'Disconnected: gave up reconnecting',
  connectionDisconnected: (reason) => `Disconnected${because(reason)}`,
  connectionAttempt: (n) => `attempt ${n}`,
  closedNotStarted: 'not started',
  closedByClient: 'closed',
  closedByServer: 'closed by the server',
  closedFatal: 'refused by the server',
  closedMaxAttempts: 'gave up reconnecting',
  closedHeartbeatTimeout: 'the server stopped answering',
  closedOffline: 'offline',
  closedError: 'connection error',
  reconnect: 'Reconnect',
  notSignedIn: 'Not signed in',
  notAllowed: 'Not allowed to watch this workflow',
  notSignedInDetail: 'Sign in, then try again.',
  notAllowedDetail: 'Your account cannot watch this workflow. Ask its owner for access.',
  staleRun: 'The server no longer knows this run — showing the last known state',
  staleRunDetail: 'Nodes that were running are shown as Unknown. Start a new run to see live state.',

  errorsCount: (n) => `${n} ${n === 1 ? 'error' : 'errors'} in this run`,
  errorsRunFailed: 'The run failed',
  errorsRunCancelled: 'The run was cancelled',
  errorsAnnouncement: (heading, latest) => `${heading}${latest === null ? '' : `. Latest: ${latest}`}`,
  errorsShowNode: '(show this node)',

  logTitle: 'Logs',
  logCount: (shown, total, dropped) =>
    `${shown === total ? total : `${shown} of ${total}`} ${total === 1 ? 'line' : 'lines'}${dropped > 0 ? `, ${dropped} earlier dropped` : ''}`,
  logFilteredTo: (node) => <>Filtered to node {node}</>,
  logClearFilter: 'Clear',
  logClearFilterLabel: (name) => `Clear the node filter (${name})`,
  logNodeFilter: 'Node',
  logAllNodes: 'All nodes',
  logLevelFilter: 'Show',
  logAllLevels: 'All levels',
  logWarningsAndErrors: 'Warnings and errors',
  logErrorsOnly: 'Errors only',
  logJumpToLatest: 'Jump to latest',
  logEmpty: 'No log lines yet.',
  logEmptyNode: (name) => `No log lines from ${name}.`,
  logShowNode: 'Show this node',
  logLevelInfo: 'INFO',
  logLevelWarning: 'WARN',
  logLevelError: 'ERROR',

  toolbarLabel: 'Run controls',
  run: 'Run',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  actionFailed: (label, error) => `${label} failed: ${error}`,

  metricsTitle: 'Server',
  metricsAsOf: (time) => <>as of {time}</>,
  metricCpu: 'CPU',
  metricMemory: 'Memory (RSS)',
  metricHeap: 'Heap',
  metricEventLoop: 'Event loop p99',
  metricActiveRuns: 'Active runs',
  metricClients: 'Clients',
  metricMissing: 'n/a',
  metricSparkline: (label, value, range) =>
    `${label}: ${value} now${range ? ` (last ${range.samples} samples, ${range.min} to ${range.max})` : ''}`,
};

/**
 * The word for a node status in `messages`.
 *
 * @example
 * statusText(DEFAULT_MESSAGES, 'running'); // 'Running'
 */
export function statusText(messages: CanvasMessages, status: NodeStatusName): string {
  switch (status) {
    case 'pending':
      return messages.statusPending;
    case 'running':
      return messages.statusRunning;
    case 'completed':
      return messages.statusCompleted;
    case 'error':
      return messages.statusError;
    case 'unknown':
      return messages.statusUnknown;
  }
}

/**
 * `given` when it is a catalog, else English: a helper called point-free
 * (`durations.map(formatDuration)`) is handed an array index there.
 */
export const catalogOf = (given: unknown): CanvasMessages =>
  given !== null && typeof given === 'object' ? (given as CanvasMessages) : DEFAULT_MESSAGES;

/**
 * A whole catalog: `base` with the texts `overrides` gives, a key given as
 * `undefined` keeping its text (a spread would write `undefined` over it).
 * For the helpers that take a catalog (`connectionText`, `formatDuration`, …)
 * outside a component; inside one, `useCanvasMessages()` is the catalog in force.
 *
 * @example
 * connectionText(state, withMessages({ connectionConnected: 'Verbunden' }));
 */
export function withMessages(overrides: CanvasMessageOverrides | undefined, base: CanvasMessages = DEFAULT_MESSAGES): CanvasMessages {
  if (!overrides) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) merged[key] = value;
  return merged as unknown as CanvasMessages;
}
