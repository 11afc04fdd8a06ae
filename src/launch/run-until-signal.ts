/**
 * Keeps a long-running command (`wharf up`, `wharf server`) alive until SIGINT or SIGTERM, then
 * stops every part it started, in reverse order, and exits. A second signal exits at once.
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
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without a clean stop');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal }, 'stopping');
      const deadline = setTimeout(() => {
        log.error({ deadlineMs: STOP_DEADLINE_MS }, 'clean stop took too long: exiting');
        process.exit(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      void (async () => {
        let code = 0;
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
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
