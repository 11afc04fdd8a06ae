/** `wharf ecs register-task-definition`: ECS RegisterTaskDefinition. */
import type { Command } from 'commander';
import type { RegisterTaskDefinitionResult } from '../../../model/api/task-definitions.js';
import { parseJsonFlag } from '../../json-flag.js';
import { apiCommand, collect, keyValue, readCliInputJson } from '../../command.js';
import { taskDefinitionLine, unsupportedFieldLines } from './render.js';

interface Options {
  family?: string;
  containerDefinitions?: string;
  networkMode?: string;
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  requiresCompatibilities?: string[];
  placementConstraints?: string;
  tags?: { key: string; value: string }[];
  cliInputJson?: string;
}


export function register(ecs: Command): void {
  apiCommand<Options, RegisterTaskDefinitionResult>(ecs, {
    name: 'register-task-definition',
    description: 'Register a new revision of a task definition family',
    options: (c) =>
      c
        .option('--family <name>', 'the family (revisions count up from 1 per family)')
        .option('--container-definitions <json|file://path>', 'the containerDefinitions list as JSON')
        .option('--network-mode <bridge|host>', 'how containers are networked (default: bridge)')
        .option('--cpu <units>', 'task CPU units (1024 = 1 vCPU) or "1 vCPU"')
        .option('--memory <MiB>', 'task memory in MiB or "1 GB"')
        .option('--task-role-arn <arn>', 'the task role (kept; not acted on yet)')
        .option('--execution-role-arn <arn>', 'the execution role (kept; not acted on yet)')
        .option('--requires-compatibilities <EC2|EXTERNAL>', 'a launch type it must suit; repeat for more', collect)
        .option('--placement-constraints <json|file://path>', 'the placementConstraints list as JSON ([{"type":"memberOf","expression":"..."}])')
        .option('--tags <key=value>', 'a tag; repeat for more', keyValue)
        .option('--cli-input-json <json|file://path>', 'the whole request as JSON (as `aws ecs register-task-definition` takes it)'),
    run: async ({ client }, o) => {
      const body = await readCliInputJson(o.cliInputJson);
      if (o.family !== undefined) body.family = o.family;
      if (o.containerDefinitions !== undefined) body.containerDefinitions = await parseJsonFlag('--container-definitions', o.containerDefinitions);
      if (o.networkMode !== undefined) body.networkMode = o.networkMode;
      if (o.cpu !== undefined) body.cpu = o.cpu;
      if (o.memory !== undefined) body.memory = o.memory;
      if (o.taskRoleArn !== undefined) body.taskRoleArn = o.taskRoleArn;
      if (o.executionRoleArn !== undefined) body.executionRoleArn = o.executionRoleArn;
      if (o.requiresCompatibilities !== undefined) body.requiresCompatibilities = o.requiresCompatibilities;
      if (o.placementConstraints !== undefined) body.placementConstraints = await parseJsonFlag('--placement-constraints', o.placementConstraints);
      if (o.tags !== undefined) body.tags = o.tags;
      return client.request('POST', '/v1/task-definitions', { body });
    },
    render: ({ taskDefinition, unsupportedFields }) => [taskDefinitionLine(taskDefinition), unsupportedFieldLines(unsupportedFields)].filter(Boolean).join('\n'),
  });
}
