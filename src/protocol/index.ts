export * from './types';
export { parseServerMessage, validateServerMessage, parseTimestamp, NODE_STATUSES, LOG_LEVELS, RUN_STATES } from './parse';
export * from './factories';
export { messagesSchema } from './schema';
export { workflowSocketPath, FLOWPULSE_PROTOCOL } from './paths';
