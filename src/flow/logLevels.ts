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

/**
 * The level as printed on a line: a word, so level never rests on colour alone.
 *
 * @example
 * LOG_LEVEL_TEXT.warning; // 'WARN'
 */
export const LOG_LEVEL_TEXT: Readonly<Record<LogLevelName, string>> = { info: 'INFO', warning: 'WARN', error: 'ERROR' };
