import type { LogEntry } from '../core/state';

/**
 * A log level, as the protocol names it.
 *
 * @example
 * const level: LogLevelName = 'warning';
 */
export type LogLevelName = LogEntry['level'];

/**
 * Severity order, for "this level and worse" filters.
 *
 * @example
 * LOG_LEVEL_RANK.error > LOG_LEVEL_RANK.info; // true
 */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevelName, number>> = { info: 0, warning: 1, error: 2 };
