/**
 * `flowpulse/flow`: the React Flow layer. Status nodes, data-flow edges, the
 * canvas and its panels, all reading the store of the nearest `WorkflowProvider`.
 * Styles: `import 'flowpulse/styles.css'` (after `@xyflow/react/dist/style.css`).
 */
export { WorkflowCanvas, type WorkflowCanvasProps } from './WorkflowCanvas';
export { CanvasView, type CanvasViewProps } from './CanvasView';
export { DEFAULT_MESSAGES, withMessages, type CanvasMessageOverrides, type CanvasMessages } from './canvasMessages';
export { CanvasMessagesProvider, useCanvasMessages, type CanvasMessagesProviderProps } from './CanvasMessagesProvider';
export { StatusNode } from './StatusNode';
export { DataFlowEdge } from './DataFlowEdge';
export { nodeTypes, edgeTypes } from './elementTypes';
export { StatusBadge, type StatusBadgeProps } from './StatusBadge';
export { FlowMarker, type FlowMarkerProps } from './FlowMarker';
export { ProgressBar, type ProgressBarProps } from './ProgressBar';
export { ConnectionIndicator, type ConnectionIndicatorProps } from './ConnectionIndicator';
export {
  connectionText,
  connectionSummary,
  connectionAttempt,
  connectionHealth,
  authProblem,
  AUTH_TEXT,
  type ConnectionHealth,
  type AuthProblem,
} from './connectionHealth';
export { AuthNotice, type AuthNoticeProps } from './AuthNotice';
export { StaleRunNotice, type StaleRunNoticeProps } from './StaleRunNotice';
export { LogPanel, type LogPanelProps } from './LogPanel';
export type { LogLevelName } from './logLevels';
export { MetricsPanel, type MetricsPanelProps } from './MetricsPanel';
export { Sparkline, type SparklineProps } from './Sparkline';
export { METRIC_DEFS, formatMetric, type MetricDef } from './metricDefs';
export { ErrorBanner, type ErrorBannerProps } from './ErrorBanner';
export { RunToolbar, type RunToolbarProps } from './RunToolbar';
export { NodeDetailsDialog, type NodeDetailsDialogProps } from './NodeDetailsDialog';
export { NodeErrorDialog, type NodeErrorDialogProps } from './NodeErrorDialog';
export { NodeResult, type NodeResultProps } from './NodeResult';
export { useNodeResult, type NodeResultState } from './useNodeResult';
export { BoundedText, type BoundedTextProps } from './BoundedText';
export { Dialog, type DialogProps } from './Dialog';
export { useEdgeFlow, latestEdgeFlow } from './useEdgeFlow';
export { usePrefersReducedMotion } from './usePrefersReducedMotion';
export { useMediaQuery } from './useMediaQuery';
export { useColorScheme } from './useColorScheme';
export { useAutoScroll, type AutoScroll } from './useAutoScroll';
export { useFocusNode } from './useFocusNode';
export { useFlowElements, type FlowElementsInput } from './useFlowElements';
export { useCanvasContext, CanvasContext, type CanvasContextValue } from './canvasContext';
export type { LayoutOptions, RankDirection } from './layout';
export { preloadLayout } from './layoutEngine';
export { layoutNodes } from './layoutNodes';
export { graphToFlow, type FlowElements } from './graphToFlow';
export { formatDuration, formatClock, formatValue } from './format';
export { STATUS_LABELS, type NodeStatusName } from './statusLabels';
export type {
  StatusNodeData,
  StatusNodeType,
  DataFlowEdgeType,
  WorkflowGraph,
  WorkflowGraphNode,
  WorkflowGraphEdge,
  CanvasNodeInput,
} from './types';
