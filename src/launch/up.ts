/**
 * `wharf up`: everything on one machine on the embedded defaults: the controller with SQLite in
 * ./.wharf, one agent (process driver) that talks to it over HTTP as a remote one would, and the
 * router (HAProxy when installed) reading its table from the controller. Ctrl-C stops the router,
 * the tasks, the agent and the controller.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { resolveAgentSettings } from '../config/agent-settings.js';
import { DEFAULT_ROUTER_PORT, resolveSettings } from '../config/settings.js';
import { usePrivateUmask } from '../files.js';
import { createLogger } from '../log.js';
import { WharfError, wharfError } from '../model/errors.js';
import { CREDENTIALS_PROFILE, readCredentialsFile } from '../config/credentials.js';
import type { ResolvedCredentials } from '../config/credentials.js';
import { WHARF_VERSION } from '../version.js';
import { ApiClient } from '../cli/client.js';
import { runUntilSignal } from './run-until-signal.js';
import type { ControllerFlags } from './controller-options.js';
import { addControllerOptions, settingsFromFlags } from './controller-options.js';

interface UpFlags extends ControllerFlags {
  driver?: string;
  routerPort?: string;
  dataPlane?: string;
  sample?: string;
}

/** How long `wharf up` waits for the router to serve the default listener. */
export const ROUTER_READY_TIMEOUT_MS = 10_000;

/**
 * Listener 80 with a plain 404 for hosts nothing is deployed at: applications add their rules to it.
 * An existing one is left as it is.
 */
async function ensureDefaultListener(client: ApiClient): Promise<void> {
  try {
    await client.request('POST', '/v1/elbv2/CreateListener', {
      body: { Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'No application is deployed at this host name.' } }] },
    });
  } catch (error) {
    if (!(error instanceof WharfError && error.code === 'WHARF_E_LISTENER_EXISTS')) throw error;
  }
}

/** The root key `wharf up`'s own calls sign with: the one the controller keeps in its data folder. */
function rootCredentials(file: string): ResolvedCredentials {
  const found = readCredentialsFile(file, CREDENTIALS_PROFILE);
  if (!found) throw wharfError('WHARF_E_NO_CREDENTIALS', { looked: `${file}, where the controller wrote the root access key at first start (a key made earlier cannot be shown again: restore the file, or start on a new data folder)` });
  return found;
}

async function waitForListener(address: () => { host: string; port: number } | undefined): Promise<{ host: string; port: number } | undefined> {
  const deadline = Date.now() + ROUTER_READY_TIMEOUT_MS;
  for (let served = address(); ; served = address()) {
    if (served || Date.now() > deadline) return served;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function register(program: Command): void {
  addControllerOptions(program.command('up').description('Run Wharf on this machine on its embedded defaults (Ctrl-C stops everything)'))
    .option('--driver <process|docker>', 'how the local agent runs containers (default process)')
    .option('--router-port <port>', `port the router serves on (default ${DEFAULT_ROUTER_PORT}, 0 for any free one; env WHARF_ROUTER_PORT)`)
    .option('--sample <folder>', 'deploy this project folder as application "sample", environment "sample-env", and print its URL')
    .option('--data-plane <haproxy|node|auto>', 'what forwards requests: HAProxy when installed (auto, the default), or the built-in proxy')
    .action(async (flags: UpFlags) => {
      // What this process writes (the database, artifacts, logs) is its owner's only; tasks get the umask back.
      usePrivateUmask();
      const settings = resolveSettings({ ...settingsFromFlags({ logLevel: 'warn', ...flags }), routerPort: flags.routerPort });
      const log = createLogger(settings.logLevel, 'up');
      // Loaded when the command runs, so other commands start without this code.
      const [{ startController }, { startAgentFromSettings }, { startRouter }, { deploySample, SAMPLE_APPLICATION, SAMPLE_ENVIRONMENT }] = await Promise.all([
        import('../controller/controller.js'),
        import('../agent/from-settings.js'),
        import('../router/start.js'),
        import('./sample.js'),
      ]);
      const controller = await startController(settings, log.child({ component: 'controller' }));
      const parts = [{ name: 'controller', stop: () => controller.stop() }];
      // Signal handlers go in before anything is printed: a caller that reads "is up" may signal at once.
      const running = runUntilSignal(parts, log);
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
        const credentials = rootCredentials(controller.rootKey.file);
        const client = new ApiClient(controller.url, () => credentials);
        await ensureDefaultListener(client);
        const router = await startRouter({
          endpoint: controller.url,
          token: controller.joinToken,
          dataPlane: (flags.dataPlane as 'haproxy' | 'node' | 'auto' | undefined) ?? 'auto',
          host: settings.routerHost,
          port: settings.routerPort,
          dataDir: path.join(settings.dataDir, 'router'),
          adminPort: 0,
          log: log.child({ component: 'router' }),
        });
        parts.push({ name: 'router', stop: () => router.stop() });
        const served = await waitForListener(() => router.address(80));
        if (served) controller.setPublicPort(served.port);
        const store = controller.store.info;
        process.stdout.write(
          [
            `Wharf ${WHARF_VERSION} is up.`,
            `  API    ${controller.url}`,
            `  Agent  ${agentSettings.hostId} (${agentSettings.driver} driver), container instance ${agent.containerInstanceId}`,
            `  Router http://${settings.routerHost}:${served?.port ?? settings.routerPort} (${router.dataPlane} data plane; metrics ${router.adminUrl ?? 'off'}/metrics)`,
            `  Data   ${store.location} (${store.kind}, schema ${store.schemaVersion})`,
            `  Key    ${credentials.accessKeyId} (the account root) in ${controller.rootKey.file}${controller.rootKey.created ? ', made now' : ''}: the CLI in this folder signs with it; keep it private`,
            `  Try    wharf ecs list-container-instances --endpoint ${controller.url}`,
            flags.sample ? `  Sample deploying ${flags.sample} (application ${SAMPLE_APPLICATION}, environment ${SAMPLE_ENVIRONMENT}) ...` : 'Press Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
        if (flags.sample) {
          // A sample that fails to deploy is reported; Wharf itself stays up.
          const line = await deploySample(client, flags.sample).then(
            (url) => `  App    ${url}   (try: curl ${url})`,
            (error: unknown) => `  Sample failed: ${(error as Error).message} (see: wharf events)`,
          );
          process.stdout.write([line, 'Press Ctrl-C to stop.', ''].join('\n'));
        }
      } catch (error) {
        for (const part of [...parts].reverse()) await part.stop();
        throw error;
      }
      await running;
    });
}
