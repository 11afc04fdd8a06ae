/**
 * ECS's operations (`AmazonEC2ContainerServiceV20141113`): each one's native route and request
 * schema (see `operation.ts`). The AWS endpoint's JSON protocol and the `wharf ecs` commands both
 * read this table.
 */
import { z } from 'zod';
import { registerTaskDefinitionRequestSchema } from '../task-definition.js';
import {
  createClusterRequestSchema,
  describeCapacityProvidersRequestSchema,
  describeClustersRequestSchema,
  listClustersRequestSchema,
  putClusterCapacityProvidersRequestSchema,
  updateClusterRequestSchema,
  updateClusterSettingsRequestSchema,
} from './clusters.js';
import { clusterRefSchema } from './common.js';
import {
  attributesRequestSchema,
  deregisterContainerInstanceRequestSchema,
  describeContainerInstancesRequestSchema,
  listAttributesRequestSchema,
  listContainerInstancesRequestSchema,
  updateContainerInstancesStateRequestSchema,
} from './container-instances.js';
import type { ApiOperations } from './operation.js';
import {
  createServiceRequestSchema,
  deleteServiceRequestSchema,
  describeServiceDeploymentsRequestSchema,
  describeServicesRequestSchema,
  listServiceDeploymentsRequestSchema,
  listServicesRequestSchema,
  updateServiceRequestSchema,
} from './services.js';
import { listTagsForResourceRequestSchema, tagResourceRequestSchema, untagResourceRequestSchema } from './tagging.js';
import {
  deleteTaskDefinitionsRequestSchema,
  deregisterTaskDefinitionRequestSchema,
  describeTaskDefinitionRequestSchema,
  listTaskDefinitionFamiliesRequestSchema,
  listTaskDefinitionsRequestSchema,
} from './task-definitions.js';
import { describeTasksRequestSchema, listTasksRequestSchema, runTaskRequestSchema, startTaskRequestSchema, stopTaskRequestSchema } from './tasks.js';

/** DeleteCluster's request: the cluster, which the native route takes in its path. */
const deleteClusterRequestSchema = z.object({ cluster: clusterRefSchema }).strict();

/** Fields of CreateService and UpdateService newer than Wharf's services: Availability Zones, VPC Lattice, gateways, monitoring. */
const NEWER_SERVICE_FIELDS = ['availabilityZoneRebalancing', 'vpcLatticeConfigurations', 'gatewayConnectors', 'monitoring'];

export const ECS_API: ApiOperations = {
  CreateCluster: { route: 'POST /v1/clusters', request: createClusterRequestSchema },
  ListClusters: { route: 'GET /v1/clusters', request: listClustersRequestSchema },
  DescribeClusters: { route: 'POST /v1/clusters/describe', request: describeClustersRequestSchema },
  DeleteCluster: { route: 'DELETE /v1/clusters/:cluster', request: deleteClusterRequestSchema, pathMember: 'cluster' },
  UpdateCluster: { route: 'POST /v1/clusters/update', request: updateClusterRequestSchema },
  UpdateClusterSettings: { route: 'POST /v1/clusters/settings', request: updateClusterSettingsRequestSchema },
  PutClusterCapacityProviders: { route: 'POST /v1/clusters/capacity-providers', request: putClusterCapacityProvidersRequestSchema },
  DescribeCapacityProviders: { route: 'POST /v1/capacity-providers/describe', request: describeCapacityProvidersRequestSchema },

  RegisterTaskDefinition: { route: 'POST /v1/task-definitions', request: registerTaskDefinitionRequestSchema, notActedOn: ['trustedExecutionConfiguration'] },
  ListTaskDefinitions: { route: 'GET /v1/task-definitions', request: listTaskDefinitionsRequestSchema },
  ListTaskDefinitionFamilies: { route: 'GET /v1/task-definition-families', request: listTaskDefinitionFamiliesRequestSchema },
  DescribeTaskDefinition: { route: 'GET /v1/task-definitions/:ref', request: describeTaskDefinitionRequestSchema, pathMember: 'taskDefinition' },
  DeregisterTaskDefinition: { route: 'DELETE /v1/task-definitions/:ref', request: deregisterTaskDefinitionRequestSchema, pathMember: 'taskDefinition' },
  DeleteTaskDefinitions: { route: 'POST /v1/task-definitions/delete', request: deleteTaskDefinitionsRequestSchema },

  RunTask: { route: 'POST /v1/tasks', request: runTaskRequestSchema },
  StartTask: { route: 'POST /v1/tasks/start', request: startTaskRequestSchema },
  ListTasks: { route: 'GET /v1/tasks', request: listTasksRequestSchema, notActedOn: ['daemonName'] },
  DescribeTasks: { route: 'POST /v1/tasks/describe', request: describeTasksRequestSchema },
  StopTask: { route: 'POST /v1/tasks/stop', request: stopTaskRequestSchema },

  ListContainerInstances: { route: 'GET /v1/container-instances', request: listContainerInstancesRequestSchema },
  DescribeContainerInstances: { route: 'POST /v1/container-instances/describe', request: describeContainerInstancesRequestSchema },
  UpdateContainerInstancesState: { route: 'POST /v1/container-instances/state', request: updateContainerInstancesStateRequestSchema },
  DeregisterContainerInstance: { route: 'POST /v1/container-instances/deregister', request: deregisterContainerInstanceRequestSchema },
  PutAttributes: { route: 'POST /v1/attributes', request: attributesRequestSchema },
  DeleteAttributes: { route: 'POST /v1/attributes/delete', request: attributesRequestSchema },
  ListAttributes: { route: 'GET /v1/attributes', request: listAttributesRequestSchema },

  CreateService: { route: 'POST /v1/services', request: createServiceRequestSchema, notActedOn: NEWER_SERVICE_FIELDS },
  ListServices: { route: 'GET /v1/services', request: listServicesRequestSchema, notActedOn: ['resourceManagementType'] },
  DescribeServices: { route: 'POST /v1/services/describe', request: describeServicesRequestSchema },
  UpdateService: { route: 'POST /v1/services/update', request: updateServiceRequestSchema, notActedOn: ['enableECSManagedTags', 'propagateTags', 'deploymentController', ...NEWER_SERVICE_FIELDS] },
  DeleteService: { route: 'POST /v1/services/delete', request: deleteServiceRequestSchema },
  ListServiceDeployments: { route: 'POST /v1/service-deployments/list', request: listServiceDeploymentsRequestSchema },
  DescribeServiceDeployments: { route: 'POST /v1/service-deployments/describe', request: describeServiceDeploymentsRequestSchema },

  TagResource: { route: 'POST /v1/tags', request: tagResourceRequestSchema },
  UntagResource: { route: 'POST /v1/tags/delete', request: untagResourceRequestSchema },
  ListTagsForResource: { route: 'GET /v1/tags', request: listTagsForResourceRequestSchema },
};
