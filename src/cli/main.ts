/**
 * The `wharf` command line: a thin client of the controller API, plus the commands that run Wharf's
 * processes (`up`, `server`). Every API command takes `--endpoint` and `--json`.
 */
import { Command, CommanderError } from 'commander';
import { WHARF_VERSION } from '../version.js';
import { register as registerCreateCluster } from './commands/ecs/create-cluster.js';
import { register as registerDeleteCluster } from './commands/ecs/delete-cluster.js';
import { register as registerDeleteTaskDefinitions } from './commands/ecs/delete-task-definitions.js';
import { register as registerDeregisterTaskDefinition } from './commands/ecs/deregister-task-definition.js';
import { register as registerDescribeClusters } from './commands/ecs/describe-clusters.js';
import { register as registerDescribeTaskDefinition } from './commands/ecs/describe-task-definition.js';
import { register as registerListClusters } from './commands/ecs/list-clusters.js';
import { register as registerListTaskDefinitionFamilies } from './commands/ecs/list-task-definition-families.js';
import { register as registerListTaskDefinitions } from './commands/ecs/list-task-definitions.js';
import { register as registerRegisterTaskDefinition } from './commands/ecs/register-task-definition.js';
import { register as registerAgent } from './commands/agent.js';
import { register as registerDescribeContainerInstances } from './commands/ecs/describe-container-instances.js';
import { register as registerDescribeTasks } from './commands/ecs/describe-tasks.js';
import { register as registerListContainerInstances } from './commands/ecs/list-container-instances.js';
import { register as registerListTasks } from './commands/ecs/list-tasks.js';
import { register as registerRunTask } from './commands/ecs/run-task.js';
import { register as registerStopTask } from './commands/ecs/stop-task.js';
import { register as registerUpdateContainerInstancesState } from './commands/ecs/update-container-instances-state.js';
import { register as registerCreateService } from './commands/ecs/create-service.js';
import { register as registerDeleteService } from './commands/ecs/delete-service.js';
import { register as registerDescribeServices } from './commands/ecs/describe-services.js';
import { register as registerListServices } from './commands/ecs/list-services.js';
import { register as registerUpdateService } from './commands/ecs/update-service.js';
import { register as registerAutoScaling } from './commands/application-autoscaling/commands.js';
import { register as registerEb } from './commands/eb/index.js';
import { register as registerElbv2 } from './commands/elbv2/commands.js';
import { register as registerEvents } from './commands/events.js';
import { register as registerLogs } from './commands/logs.js';
import { register as registerRouter } from './commands/router.js';
import { register as registerServer } from './commands/server.js';
import { register as registerUp } from './commands/up.js';
import { EXIT_USER_ERROR, printError } from './output.js';

/** Builds the whole command tree. */
export function buildProgram(): Command {
  const program = new Command('wharf')
    .description('Wharf: the Elastic Beanstalk and ECS model on machines you own')
    .version(WHARF_VERSION)
    .option('--endpoint <url>', 'controller API (default: WHARF_ENDPOINT, then the `wharf up` in this folder, then http://127.0.0.1:7070)')
    .option('--json', 'print results (and errors) as JSON')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  registerUp(program);
  registerServer(program);
  registerAgent(program);
  registerRouter(program);
  registerEvents(program);
  registerLogs(program);
  registerElbv2(program);
  registerAutoScaling(program);
  registerEb(program);

  const ecs = program.command('ecs').description('ECS: clusters, task definitions, tasks, services');
  registerCreateCluster(ecs);
  registerDescribeClusters(ecs);
  registerListClusters(ecs);
  registerDeleteCluster(ecs);
  registerRegisterTaskDefinition(ecs);
  registerDescribeTaskDefinition(ecs);
  registerListTaskDefinitions(ecs);
  registerListTaskDefinitionFamilies(ecs);
  registerDeregisterTaskDefinition(ecs);
  registerDeleteTaskDefinitions(ecs);
  registerRunTask(ecs);
  registerStopTask(ecs);
  registerDescribeTasks(ecs);
  registerListTasks(ecs);
  registerListContainerInstances(ecs);
  registerDescribeContainerInstances(ecs);
  registerUpdateContainerInstancesState(ecs);
  registerCreateService(ecs);
  registerUpdateService(ecs);
  registerDescribeServices(ecs);
  registerListServices(ecs);
  registerDeleteService(ecs);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the problem (or the help / version) already.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USER_ERROR;
      return;
    }
    process.exitCode = printError(error, argv.includes('--json'));
  }
}

await main(process.argv);
