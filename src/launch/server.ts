/** `wharf server`: the controller alone (API, store, leadership). Several may share one PostgreSQL. */
import type { Command } from 'commander';
import { resolveSettings } from '../config/settings.js';
import { usePrivateUmask } from '../files.js';
import { createLogger } from '../log.js';
import { runUntilSignal } from './run-until-signal.js';
import type { ControllerFlags } from './controller-options.js';
import { addControllerOptions, settingsFromFlags } from './controller-options.js';

export function register(program: Command): void {
  addControllerOptions(program.command('server').description('Run the controller: the API and the state store (several may share one PostgreSQL; one leads)')).action(
    async (flags: ControllerFlags) => {
      // What this process writes (the database, artifacts, logs) is its owner's only; tasks get the umask back.
      usePrivateUmask();
      const settings = resolveSettings(settingsFromFlags(flags));
      const log = createLogger(settings.logLevel, 'controller');
      // Loaded when the command runs, so other commands start without the controller's code.
      const { startController } = await import('../controller/controller.js');
      const controller = await startController(settings, log);
      // Signal handlers go in before anything is printed: a caller that reads the line may signal at once.
      const stopped = runUntilSignal([{ name: 'controller', stop: () => controller.stop() }], log);
      process.stdout.write(`${JSON.stringify({ event: 'listening', url: controller.url, store: controller.store.info.kind })}\n`);
      void controller.leading.then(() => process.stdout.write(`${JSON.stringify({ event: 'leader', url: controller.url })}\n`));
      await stopped;
    },
  );
}
