import { formatDuration, type CanvasMessages } from 'flowpulse/flow';

const count = (n: number) => n.toLocaleString('zh-CN');
const attempt = (n: number | null) => (n === null ? '' : `（第 ${n} 次尝试）`);
const reconnecting = (yes: boolean, n: number | null) => (yes ? ` — 正在重新连接${attempt(n)}…` : '');
const STATUS = { pending: '等待中', running: '运行中', completed: '已完成', error: '失败', unknown: '未知' } as const;

/**
 * Every word of the canvas in Simplified Chinese: what an app like Dify gives
 * `WorkflowCanvas`'s `messages`. Typed as the whole catalog, so a key added
 * to `CanvasMessages` shows up here as a type error.
 *
 * @example
 * <WorkflowCanvas workflowId="123" graph={graph} messages={zhMessages} />
 */
export const zhMessages: CanvasMessages = {
  statusPending: '等待中',
  statusRunning: '运行中',
  statusCompleted: '已完成',
  statusError: '出错',
  statusUnknown: '未知',

  // The English rounding, with Chinese units.
  duration: (ms) => formatDuration(ms).replace(' min ', ' 分 ').replace(/ ms$/, ' 毫秒').replace(/ s$/, ' 秒'),
  dateTime: (time) => new Date(time).toLocaleString('zh-CN'),
  percent: (percent) => `${percent}%`,

  canvasLabel: '工作流图',
  nodeKeys: '按空格键选中节点并只显示其日志，按方向键移动节点。',
  edgeLabel: (source, target, label) => `从 ${source} 到 ${target}${label ? `：${label}` : ''}`,
  layoutPending: '正在布局…',
  layoutFailed: '无法布局此图：布局代码未能加载。',
  tryAgain: '重试',

  nodeDetailsHint: (label) => `：${label}，查看详情`,
  nodeEnterForDetails: '按 Enter 键查看详情。',
  nodeStalled: '停滞',
  nodeStalledHint: '运行中，但此节点已有一段时间没有消息',
  nodeDuration: '耗时',

  close: '关闭',
  detailsTitle: (label, status) => `${label} ${STATUS[status]}`,
  detailsOutdated: '此后已开始新的运行：以下是上一次运行的详情。',
  detailsNoError: '未提供错误信息。',
  detailsStatus: '状态',
  detailsNode: '节点',
  detailsFailedAt: '失败时间',
  detailsFinishedAt: '完成时间',
  detailsStartedAt: '开始时间',
  detailsRanFor: '运行时长',
  detailsResult: '结果',
  detailsTimeUnknown: '未知',

  resultNone: '无',
  resultLoading: '正在加载完整结果…',
  resultLoaded: (n) => `结果已加载（${count(n)} 个字符）`,
  resultLoadFailed: '无法加载结果',
  resultLoadError: (error) => `无法加载结果：${error}`,
  resultFetchedFrom: (url) => <>结果过大，无法随消息流发送；已从 {url} 获取</>,
  showAll: '显示全部',
  showLess: '收起',
  textCharacters: (total) => `共 ${count(total)} 个字符`,
  textFirstCharacters: (shown, total) => `前 ${count(shown)} 个字符，共 ${count(total)} 个`,

  progressLabel: '工作流进度',
  progressWaiting: '等待运行',
  stepOf: (step, total) => `第 ${step} 步，共 ${total} 步`,
  afterSteps: (step, total) => `完成 ${total} 步中的 ${step} 步后`,
  progressCompleted: (d) => (d === null ? '已完成' : `已完成，用时 ${d}`),
  progressFailed: (after) => `${after ?? ''}失败`,
  progressPaused: (where) => `已暂停 · ${where}`,
  progressCancelled: (after, reason) => `${after ?? ''}已取消${reason ? `：${reason}` : ''}`,
  progressStale: '服务器已不再知晓此运行',
  percentSpoken: (percent) => `百分之 ${percent}`,
  progressRunningNode: (name) => `正在运行 ${name}`,
  progressPausedSpoken: '已暂停',
  runStarted: '运行已开始',
  runResumed: '运行已继续',
  runPaused: (step) => (step === null ? '运行已暂停' : `运行已暂停（${step}）`),
  runCompleted: (d) => (d === null ? '运行已完成' : `运行已完成，用时 ${d}`),
  runFailed: (after) => `运行${after ? `在${after}` : ''}失败`,
  runCancelled: (after, reason) => `运行${after ? `在${after}` : ''}已取消${reason ? `：${reason}` : ''}`,

  connectionConnected: '已连接',
  connectionConnecting: '正在连接…',
  connectionReconnecting: (n, reason) => `正在重新连接${attempt(n)}…${reason ? ` — ${reason}` : ''}`,
  connectionStalled: (yes, n) => `停滞：服务器已停止响应${reconnecting(yes, n)}`,
  connectionOffline: (yes) => (yes ? '离线：网络恢复后将重新连接' : '离线'),
  connectionError: (yes, n) => `连接错误${reconnecting(yes, n)}`,
  connectionRefused: '服务器拒绝了连接',
  connectionGaveUp: '已断开：已放弃重新连接',
  connectionDisconnected: (reason) => `已断开${reason ? `：${reason}` : ''}`,
  connectionAttempt: (n) => `第 ${n} 次尝试`,
  closedNotStarted: '尚未开始',
  closedByClient: '已关闭',
  closedByServer: '被服务器关闭',
  closedFatal: '被服务器拒绝',
  closedMaxAttempts: '已放弃重新连接',
  closedHeartbeatTimeout: '服务器已停止响应',
  closedOffline: '离线',
  closedError: '连接错误',
  reconnect: '重新连接',
  notSignedIn: '未登录',
  notAllowed: '无权查看此工作流',
  notSignedInDetail: '请登录后重试。',
  notAllowedDetail: '你的账号无权查看此工作流，请向其所有者申请访问权限。',
  staleRun: '服务器已不再知晓此运行 — 显示最后已知的状态',
  staleRunDetail: '之前运行中的节点显示为“未知”。开始新的运行以查看实时状态。',

  errorsCount: (n) => `本次运行有 ${n} 个错误`,
  errorsRunFailed: '运行失败',
  errorsRunCancelled: '运行已取消',
  errorsAnnouncement: (heading, latest) => (latest === null ? heading : `${heading}。最新：${latest}`),
  errorsShowNode: '（显示此节点）',

  logTitle: '日志',
  logCount: (shown, total, dropped) =>
    `${shown === total ? `${total} 行` : `${shown} / ${total} 行`}${dropped > 0 ? `，另有 ${dropped} 行较早的已丢弃` : ''}`,
  logFilteredTo: (node) => <>已筛选节点 {node}</>,
  logClearFilter: '清除',
  logClearFilterLabel: (name) => `清除节点筛选（${name}）`,
  logNodeFilter: '节点',
  logAllNodes: '所有节点',
  logLevelFilter: '显示',
  logAllLevels: '所有级别',
  logWarningsAndErrors: '警告和错误',
  logErrorsOnly: '仅错误',
  logJumpToLatest: '跳到最新',
  logEmpty: '暂无日志。',
  logEmptyNode: (name) => `${name} 暂无日志。`,
  logShowNode: '显示此节点',
  logLevelInfo: '信息',
  logLevelWarning: '警告',
  logLevelError: '错误',

  toolbarLabel: '运行控制',
  run: '运行',
  pause: '暂停',
  resume: '继续',
  cancel: '取消',
  actionFailed: (label, error) => `${label}失败：${error}`,

  metricsTitle: '服务器',
  metricsAsOf: (time) => <>截至 {time}</>,
  metricCpu: 'CPU',
  metricMemory: '内存（RSS）',
  metricHeap: '堆内存',
  metricEventLoop: '事件循环延迟 p99',
  metricActiveRuns: '进行中的运行',
  metricClients: '客户端',
  metricMissing: '无数据',
  metricSparkline: (label, value, range) =>
    `${label}：当前 ${value}${range ? `（最近 ${range.samples} 个样本，${range.min} 至 ${range.max}）` : ''}`,
};
