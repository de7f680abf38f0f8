export * from './core';
export * from './react';
export type * from './protocol/types';
export { parseServerMessage, validateServerMessage, parseTimestamp, workflowSocketPath, FLOWPULSE_PROTOCOL } from './protocol';
