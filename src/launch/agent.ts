/**
 * `wharf agent`: the host agent alone. It registers with the controller (join token), runs the
 * tasks the controller places on this host, and reports them. Stopping it leaves its tasks running
 * (as ECS's agent does); a restarted agent finds them again.
 */
import type { Command } from 'commander';
import { resolveAgentSettings } from '../config/agent-settings.js';
import { usePrivateUmask } from '../files.js';
import { createLogger } from '../log.js';
import { resolveEndpoint } from '../cli/client.js';
import { collect, keyValue } from '../cli/command.js';
import type { GlobalOptions } from '../cli/command.js';
import { runUntilSignal } from './run-until-signal.js';

interface Flags extends GlobalOptions {
  joinToken?: string;
  cluster?: string;
  hostId?: string;
  driver?: string;
  dockerSocket?: string;
  dataDir?: string;
  cpu?: string;
  memory?: string;
  attribute?: { key: string; value: string }[];
  reservedPort?: string[];
  listenHost?: string;
  logLevel?: string;
}

export function register(program: Command): void {
  program
    .command('agent')
    .description('Run the host agent: register with the controller and run the tasks it places here')
    .option('--join-token <token>', "the cluster's join token (env WHARF_JOIN_TOKEN; `wharf up` and `wharf server` print where it is)")
    .option('--cluster <name>', 'cluster to join (default "default"; env WHARF_CLUSTER)')
    .option('--host-id <id>', 'this host\'s name in the cluster (default the hostname; env WHARF_HOST_ID)')
    .option('--driver <process|docker>', 'how containers run (default process; env WHARF_DRIVER)')
    .option('--docker-socket <path>', 'Docker Engine socket for the docker driver (default /var/run/docker.sock)')
    .option('--data-dir <path>', 'agent state and container logs (default ./.wharf/agent; env WHARF_AGENT_DATA_DIR)')
    .option('--cpu <units>', 'CPU units to offer (default 1024 per core)')
    .option('--memory <MiB>', 'memory to offer (default all of it)')
    .option('--attribute <key=value>', 'a custom attribute for placement constraints; repeat for more', keyValue)
    .option('--reserved-port <port>', 'a host port tasks may not use; repeat for more (default 22, 2375, 2376)', collect)
    .option('--listen-host <host>', 'address of the agent\'s own server, reachable by the controller (default 127.0.0.1)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (_options: unknown, command: Command) => {
      // What this process writes (the database, artifacts, logs) is its owner's only; tasks get the umask back.
      usePrivateUmask();
      const flags = command.optsWithGlobals<Flags>();
      const settings = resolveAgentSettings({
        endpoint: resolveEndpoint(flags.endpoint),
        joinToken: flags.joinToken,
        cluster: flags.cluster,
        hostId: flags.hostId,
        driver: flags.driver as 'process' | 'docker' | undefined,
        dockerSocket: flags.dockerSocket,
        dataDir: flags.dataDir,
        cpu: flags.cpu,
        memory: flags.memory,
        reservedPorts: flags.reservedPort,
        attributes: flags.attribute && Object.fromEntries(flags.attribute.map((a) => [a.key, a.value])),
        listenHost: flags.listenHost,
        logLevel: flags.logLevel as 'info' | undefined,
      });
      const log = createLogger(settings.logLevel, 'agent');
      const { startAgentFromSettings } = await import('../agent/from-settings.js');
      const agent = await startAgentFromSettings(settings, log);
      // Signal handlers go in before anything is printed: a caller that reads the line may signal at once.
      const stopped = runUntilSignal([{ name: 'agent', stop: () => agent.stop() }], log);
      process.stdout.write(`${JSON.stringify({ event: 'registered', containerInstanceId: agent.containerInstanceId, url: agent.url })}\n`);
      await stopped;
    });
}
