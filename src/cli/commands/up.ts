/**
 * `wharf up`: everything on one machine on the embedded defaults: the controller with SQLite in
 * ./.wharf and one agent (process driver) that talks to it over HTTP, as a remote one would. The
 * router joins with the services issue. Ctrl-C stops the tasks, the agent and the controller.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { startAgentFromSettings } from '../../agent/from-settings.js';
import { resolveAgentSettings } from '../../config/agent-settings.js';
import { resolveSettings } from '../../config/settings.js';
import { startController } from '../../controller/controller.js';
import { createLogger } from '../../log.js';
import { WHARF_VERSION } from '../../version.js';
import { runUntilSignal } from '../run-until-signal.js';
import type { ControllerFlags } from './controller-options.js';
import { addControllerOptions, settingsFromFlags } from './controller-options.js';

interface UpFlags extends ControllerFlags {
  driver?: string;
}

export function register(program: Command): void {
  addControllerOptions(program.command('up').description('Run Wharf on this machine on its embedded defaults (Ctrl-C stops everything)'))
    .option('--driver <process|docker>', 'how the local agent runs containers (default process)')
    .action(async (flags: UpFlags) => {
      const settings = resolveSettings(settingsFromFlags({ logLevel: 'warn', ...flags }));
      const log = createLogger(settings.logLevel, 'up');
      const controller = await startController(settings, log.child({ component: 'controller' }));
      const parts = [{ name: 'controller', stop: () => controller.stop() }];
      try {
        await controller.leading;
        const agentSettings = resolveAgentSettings({
          endpoint: controller.url,
          joinToken: controller.joinToken,
          dataDir: path.join(settings.dataDir, 'agent'),
          driver: flags.driver as 'process' | 'docker' | undefined,
          logLevel: settings.logLevel,
        });
        const agent = await startAgentFromSettings(agentSettings, log.child({ component: 'agent' }));
        parts.push({ name: 'agent', stop: () => agent.stop({ stopTasks: true }) });
        const store = controller.store.info;
        process.stdout.write(
          [
            `Wharf ${WHARF_VERSION} is up.`,
            `  API    ${controller.url}`,
            `  Agent  ${agentSettings.hostId} (${agentSettings.driver} driver), container instance ${agent.containerInstanceId}`,
            `  Data   ${store.location} (${store.kind}, schema ${store.schemaVersion})`,
            `  Try    wharf ecs list-container-instances --endpoint ${controller.url}`,
            'Press Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      } catch (error) {
        for (const part of [...parts].reverse()) await part.stop();
        throw error;
      }
      await runUntilSignal(parts, log);
    });
}
