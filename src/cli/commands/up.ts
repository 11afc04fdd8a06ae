/**
 * `wharf up`: everything on one machine on the embedded defaults: the controller with SQLite in
 * ./.wharf (agent and router join it as their issues land). Prints where things are.
 */
import type { Command } from 'commander';
import { resolveSettings } from '../../config/settings.js';
import { startController } from '../../controller/controller.js';
import { createLogger } from '../../log.js';
import { WHARF_VERSION } from '../../version.js';
import { runUntilSignal } from '../run-until-signal.js';
import type { ControllerFlags } from './controller-options.js';
import { addControllerOptions, settingsFromFlags } from './controller-options.js';

export function register(program: Command): void {
  addControllerOptions(program.command('up').description('Run Wharf on this machine on its embedded defaults (Ctrl-C stops everything)')).action(
    async (flags: ControllerFlags) => {
      const settings = resolveSettings(settingsFromFlags({ logLevel: 'warn', ...flags }));
      const log = createLogger(settings.logLevel, 'up');
      const controller = await startController(settings, log.child({ component: 'controller' }));
      await controller.leading;
      const store = controller.store.info;
      process.stdout.write(
        [
          `Wharf ${WHARF_VERSION} is up.`,
          `  API    ${controller.url}`,
          `  Data   ${store.location} (${store.kind}, schema ${store.schemaVersion})`,
          `  Try    wharf ecs describe-clusters --endpoint ${controller.url}`,
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await runUntilSignal([{ name: 'controller', stop: () => controller.stop() }], log);
    },
  );
}
