/** `wharf ecs …`: the ECS commands' descriptions and, one file each, their readable renderings. */
import type { GroupCommands } from '../../aws/command.js';

export const COMMANDS: GroupCommands = {
  CreateCluster: { description: 'Create a cluster (or return it unchanged if it exists)', load: () => import('./create-cluster.js') },
  CreateService: { description: 'Create a service: keep desiredCount tasks of a task definition running', load: () => import('./create-service.js') },
  DeleteCluster: { description: 'Delete a cluster (it stays visible as INACTIVE)', load: () => import('./delete-cluster.js') },
  DeleteService: { description: 'Delete a service: its tasks stop, then it becomes INACTIVE', load: () => import('./delete-service.js') },
  DeleteTaskDefinitions: { description: 'Delete deregistered task definition revisions (up to 10)', load: () => import('./delete-task-definitions.js') },
  DeregisterTaskDefinition: { description: 'Deregister a task definition revision (it stays describable as INACTIVE; no new tasks)', load: () => import('./deregister-task-definition.js') },
  DescribeClusters: { description: 'Describe clusters by name or ARN (default: the default cluster)', load: () => import('./describe-clusters.js') },
  DescribeContainerInstances: { description: 'Describe hosts: status, agent connection, registered and remaining resources', load: () => import('./describe-container-instances.js') },
  DescribeServices: { description: 'Describe services: counts, deployments, recent events', load: () => import('./describe-services.js') },
  DescribeTaskDefinition: { description: 'Describe a task definition revision (any status)', load: () => import('./describe-task-definition.js') },
  DescribeTasks: { description: 'Describe tasks (any status)', load: () => import('./describe-tasks.js') },
  ListClusters: { description: 'List the ARNs of active clusters', load: () => import('./list-clusters.js') },
  ListContainerInstances: { description: 'List the hosts of a cluster', load: () => import('./list-container-instances.js') },
  ListServices: { description: 'List the ARNs of active services', load: () => import('./list-services.js') },
  ListTaskDefinitionFamilies: { description: 'List task definition families', load: () => import('./list-task-definition-families.js') },
  ListTaskDefinitions: { description: 'List the ARNs of task definition revisions (ACTIVE ones unless --status says otherwise)', load: () => import('./list-task-definitions.js') },
  ListTasks: { description: 'List task ARNs', load: () => import('./list-tasks.js') },
  RegisterTaskDefinition: { description: 'Register a new revision of a task definition family', load: () => import('./register-task-definition.js') },
  RunTask: { description: 'Run tasks from a task definition on the cluster\'s hosts', load: () => import('./run-task.js') },
  StopTask: { description: 'Stop a task', load: () => import('./stop-task.js') },
  UpdateContainerInstancesState: { description: 'Drain hosts (no new tasks) or make them ACTIVE again', load: () => import('./update-container-instances-state.js') },
  UpdateService: { description: 'Change a service: a new task definition rolls out; a new desired count scales', load: () => import('./update-service.js') },
};
