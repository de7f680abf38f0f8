// `flowpulse/control`: run control over REST (execute, pause, resume, cancel,
// fetch a large result). Its own entry so an app that only watches runs does
// not ship it.
export {
  createWorkflowControl,
  apiBaseFromSocketUrl,
  type WorkflowControl,
  type WorkflowControlOptions,
  type ControlResult,
  type ControlAction,
} from '../core/control';
export { useWorkflowControl, type UseWorkflowControlOptions, type WorkflowControls } from '../react/useWorkflowControl';
