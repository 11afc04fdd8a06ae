/**
 * The client commands of the `wharf` command line: every command that talks to the controller API
 * (`events`, `logs`, `elbv2`, `application-autoscaling`, `eb`, `iam`, `ecs`). The composition root
 * (`src/main.ts`) adds them to the program beside the process commands of `src/launch`.
 */
import type { Command } from 'commander';
import { register as registerAutoScaling } from './commands/application-autoscaling/commands.js';
import { register as registerCreateCluster } from './commands/ecs/create-cluster.js';
import { register as registerCreateService } from './commands/ecs/create-service.js';
import { register as registerDeleteCluster } from './commands/ecs/delete-cluster.js';
import { register as registerDeleteService } from './commands/ecs/delete-service.js';
import { register as registerDeleteTaskDefinitions } from './commands/ecs/delete-task-definitions.js';
import { register as registerDeregisterTaskDefinition } from './commands/ecs/deregister-task-definition.js';
import { register as registerDescribeClusters } from './commands/ecs/describe-clusters.js';
import { register as registerDescribeContainerInstances } from './commands/ecs/describe-container-instances.js';
import { register as registerDescribeServices } from './commands/ecs/describe-services.js';
import { register as registerDescribeTaskDefinition } from './commands/ecs/describe-task-definition.js';
import { register as registerDescribeTasks } from './commands/ecs/describe-tasks.js';
import { register as registerEb } from './commands/eb/index.js';
import { register as registerElbv2 } from './commands/elbv2/commands.js';
import { register as registerAudit } from './commands/audit.js';
import { register as registerEvents } from './commands/events.js';
import { register as registerIam } from './commands/iam/index.js';
import { register as registerListClusters } from './commands/ecs/list-clusters.js';
import { register as registerListContainerInstances } from './commands/ecs/list-container-instances.js';
import { register as registerListServices } from './commands/ecs/list-services.js';
import { register as registerListTaskDefinitionFamilies } from './commands/ecs/list-task-definition-families.js';
import { register as registerListTaskDefinitions } from './commands/ecs/list-task-definitions.js';
import { register as registerListTasks } from './commands/ecs/list-tasks.js';
import { register as registerLogs } from './commands/logs.js';
import { register as registerRegisterTaskDefinition } from './commands/ecs/register-task-definition.js';
import { register as registerRunTask } from './commands/ecs/run-task.js';
import { register as registerStopTask } from './commands/ecs/stop-task.js';
import { register as registerUpdateContainerInstancesState } from './commands/ecs/update-container-instances-state.js';
import { register as registerUpdateService } from './commands/ecs/update-service.js';

/** Adds the API client commands to `program`, in the order `--help` lists them. */
export function registerClientCommands(program: Command): void {
  registerEvents(program);
  registerAudit(program);
  registerLogs(program);
  registerElbv2(program);
  registerAutoScaling(program);
  registerEb(program);
  registerIam(program);

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
}
