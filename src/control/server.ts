// `flowpulse/control` for the server side of React (server components, route handlers, server
// actions: the `react-server` export condition): the REST functions without the hook, whose module
// creates a React context when it loads, which React's server build cannot.
export {
  createWorkflowControl,
  apiBaseFromSocketUrl,
  type WorkflowControl,
  type WorkflowControlOptions,
  type ControlResult,
  type ControlAction,
} from '../core/control';
