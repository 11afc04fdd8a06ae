/** The scheduler's public surface: build a view, place tasks, parse cluster queries. See README.md. */
export type { PlaceOptions, PlacementResult } from './place.js';
export { BINPACK_SCAN_LIMIT, MIN_SAMPLE, eligibleHosts, placeTasks, placementInputProblems } from './place.js';
export type { ClusterQuery, QueryNode, QueryOperator, QuerySubject, QueryTarget } from './query.js';
export { ClusterQueryError, checkClusterQuery, evaluateClusterQuery, hostQueryTarget, parseClusterQuery } from './query.js';
export type { Rng } from './random.js';
export { seededRandom } from './random.js';
export type { ContainerResourcesInput, PlacementRequestInput, PortMappingInput, TaskDefinitionResourcesInput } from './requirement.js';
export { pinToHost, taskCpu, taskMemory, taskPorts, taskRequirement } from './requirement.js';
export type { PlacementClusterOptions } from './view.js';
export { PlacementCluster, createPlacementCluster } from './view.js';
