/**
 * Keeps a long-running command (`wharf up`, `wharf server`) alive until SIGINT or SIGTERM, then
 * stops every part it started, in reverse order, and exits. A second signal exits at once.
 *
 * It also sets the process's policy for errors nothing caught (each is a bug: request errors reach
 * the API's error handler, which answers 500 WHARF_E_INTERNAL): a promise rejected without a
 * handler is logged with its stack and the process keeps serving; an uncaught exception is logged
 * with its stack and the process stops cleanly with exit code 1, since its state is then unknown.
 */
import type { Logger } from '../log.js';

/** How long a clean stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 30_000;

export interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

export function runUntilSignal(parts: readonly Stoppable[], log: Logger): Promise<never> {
  return new Promise<never>(() => {
    let stopping = false;
    const stop = (reason: Record<string, unknown>, failed: boolean): void => {
      if (stopping) {
        log.warn(reason, 'second stop: exiting without a clean stop');
        process.exit(failed ? 1 : 130);
      }
      stopping = true;
      log.info(reason, 'stopping');
      const deadline = setTimeout(() => {
        log.error({ deadlineMs: STOP_DEADLINE_MS }, 'clean stop took too long: exiting');
        process.exit(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      void (async () => {
        let code = failed ? 1 : 0;
        for (const part of [...parts].reverse()) {
          try {
            await part.stop();
          } catch (error) {
            code = 1;
            log.error({ err: error, part: part.name }, 'part failed to stop cleanly');
          }
        }
        process.exit(code);
      })();
    };
    const onSignal = (signal: NodeJS.Signals): void => stop({ signal }, false);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('unhandledRejection', (reason) => {
      log.error({ err: reason }, 'unhandled promise rejection (a bug): logged, still serving');
    });
    process.on('uncaughtException', (error) => {
      log.fatal({ err: error }, 'uncaught exception (a bug): stopping');
      stop({ uncaughtException: error.message }, true);
    });
  });
}
