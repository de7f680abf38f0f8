// `flowpulse/control`: run control over REST (execute, pause, resume, cancel,
// fetch a large result). Its own entry so an app that only watches runs does
// not ship it. The server side of React gets ./server.ts alone (the `react-server` export).
export * from './server';
export { useWorkflowControl, type UseWorkflowControlOptions, type WorkflowControls } from '../react/useWorkflowControl';
