/** Structured JSON logs (pino) for every Wharf process. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * A logger writing JSON lines to stderr, so a command's stdout stays for its results.
 * `component` names the process part (`controller`, `agent`, `router`) on every line.
 */
export function createLogger(level: LogLevel, component: string): Logger {
  return pino({ level, base: { component, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ fd: 2, sync: true }));
}
