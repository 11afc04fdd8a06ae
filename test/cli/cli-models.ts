/**
 * Builds the CLI's service models (`src/cli/aws/models/<group>.ts`) from the AWS CLI's own botocore
 * data: the input and output shapes of the operations Wharf serves, their paginators and the
 * service's waiters on them. `models.test.ts` compares the files with what this builds;
 * `node dist/test/cli/cli-models.js --write` rewrites them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsService } from '../../src/cli/aws/services.js';
import { AWS_SERVICES } from '../../src/cli/aws/services.js';
import type { ComplexShape, Paginator, ServiceModel, Waiter } from '../../src/cli/aws/model.js';
import { cliName, SCALAR_TYPES } from '../../src/cli/aws/model.js';
import { REPO_ROOT } from '../support/paths.js';

/** Where Debian's awscli keeps botocore's models. */
export const BOTOCORE_DATA = '/usr/lib/python3/dist-packages/awscli/botocore/data';

interface BotocoreShape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
  required?: string[];
  document?: boolean;
}

interface BotocoreService {
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, BotocoreShape>;
}

/**
 * Operations Wharf serves that are newer than the AWS CLI's model (2.9.19): their request and
 * response as the current AWS model has them (the SDK v3 clients'), in botocore's form.
 */
const NEWER_OPERATIONS: Record<string, { operations: BotocoreService['operations']; shapes: BotocoreService['shapes'] }> = {
  'ecs/2014-11-13': {
    operations: { DeleteTaskDefinitions: { input: { shape: 'DeleteTaskDefinitionsRequest' }, output: { shape: 'DeleteTaskDefinitionsResponse' } } },
    shapes: {
      DeleteTaskDefinitionsRequest: { type: 'structure', members: { taskDefinitions: { shape: 'StringList' } }, required: ['taskDefinitions'] },
      DeleteTaskDefinitionsResponse: { type: 'structure', members: { taskDefinitions: { shape: 'TaskDefinitionList' }, failures: { shape: 'Failures' } } },
      TaskDefinitionList: { type: 'list', member: { shape: 'TaskDefinition' } },
    },
  },
};

const readJson = <T>(file: string, absent?: T): T => {
  if (absent !== undefined && !existsSync(file)) return absent;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
};

const SCALAR_OF: Record<string, string> = { string: 'string', integer: 'integer', long: 'long', float: 'float', double: 'double', boolean: 'boolean', timestamp: 'timestamp', blob: 'blob' };

/** The service model for `service` as the CLI needs it. */
export function buildModel(service: AwsService): ServiceModel {
  const dir = path.join(BOTOCORE_DATA, service.botocore);
  const cliModel = readJson<BotocoreService>(path.join(dir, 'service-2.json'));
  const newer = NEWER_OPERATIONS[service.botocore];
  const botocore: BotocoreService = { operations: { ...newer?.operations, ...cliModel.operations }, shapes: { ...newer?.shapes, ...cliModel.shapes } };
  const pagination = readJson<{ pagination: Record<string, { input_token: string | string[]; output_token: string | string[]; limit_key?: string; result_key: string | string[]; more_results?: string }> }>(path.join(dir, 'paginators-1.json'), { pagination: {} }).pagination;
  const waiters = readJson<{ waiters: Record<string, Omit<Waiter, 'acceptors'> & { acceptors: Waiter['acceptors'] }> }>(path.join(dir, 'waiters-2.json'), { waiters: {} }).waiters;

  const shapes: Record<string, ComplexShape> = {};
  const ref = (name: string): string => {
    const shape = botocore.shapes[name];
    if (!shape) throw new Error(`${service.botocore}: no shape ${name}`);
    const scalar = SCALAR_OF[shape.type];
    if (scalar) return scalar;
    if (SCALAR_TYPES.has(name)) throw new Error(`${service.botocore}: the shape ${name} has a scalar type's name`);
    if (name in shapes) return name;
    if (shape.type === 'structure') {
      const entry: { type: 'structure'; members: Record<string, string>; required?: string[]; document?: true } = { type: 'structure', members: {} };
      shapes[name] = entry;
      if (shape.document) entry.document = true;
      for (const [member, target] of Object.entries(shape.members ?? {})) entry.members[member] = ref(target.shape);
      if (shape.required?.length) entry.required = [...shape.required];
    } else if (shape.type === 'list') {
      shapes[name] = { type: 'list', member: 'string' };
      shapes[name] = { type: 'list', member: ref(shape.member!.shape) };
    } else if (shape.type === 'map') {
      shapes[name] = { type: 'map', value: 'string' };
      shapes[name] = { type: 'map', value: ref(shape.value!.shape) };
    } else throw new Error(`${service.botocore}: shape ${name} has the unknown type ${shape.type}`);
    return name;
  };

  const one = (value: string | string[]): string => (Array.isArray(value) ? (value[0] ?? '') : value);
  const operations: Record<string, { input?: string; output?: string; paginator?: Paginator }> = {};
  for (const name of service.operations) {
    const op = botocore.operations[name];
    if (!op) throw new Error(`${service.botocore} has no operation ${name}`);
    const p = pagination[name];
    operations[name] = {
      ...(op.input ? { input: ref(op.input.shape) } : {}),
      ...(op.output ? { output: ref(op.output.shape) } : {}),
      ...(p
        ? {
            paginator: {
              inputToken: one(p.input_token),
              outputToken: one(p.output_token),
              ...(p.limit_key ? { limitKey: p.limit_key } : {}),
              resultKeys: Array.isArray(p.result_key) ? p.result_key : [p.result_key],
              ...(p.more_results ? { moreResults: p.more_results } : {}),
            },
          }
        : {}),
    };
  }
  const sortedShapes = Object.fromEntries(Object.entries(shapes).sort(([a], [b]) => a.localeCompare(b)));
  const waiterEntries = Object.entries(waiters)
    .filter(([, w]) => service.operations.includes(w.operation))
    .map(([name, w]) => [cliName(name), { operation: w.operation, delay: w.delay, maxAttempts: w.maxAttempts, acceptors: w.acceptors }] as const);
  return { source: service.botocore, operations, shapes: sortedShapes, waiters: Object.fromEntries(waiterEntries) };
}

/** The source text of `models/<group>.ts`. */
export function modelSource(service: AwsService): string {
  const model = buildModel(service);
  return [
    `// Generated from the AWS CLI's botocore model ${service.botocore} (${BOTOCORE_DATA}) by test/cli/cli-models.ts. Do not edit:`,
    '// run `node dist/test/cli/cli-models.js --write` after changing the operations in ../services.ts.',
    "import type { ServiceModel } from '../model.js';",
    '',
    `export const MODEL: ServiceModel = ${JSON.stringify(model)};`,
    '',
  ].join('\n');
}

/** The path of a group's model source file. */
export const modelFile = (service: AwsService): string => path.join(REPO_ROOT, 'src', 'cli', 'aws', 'models', `${service.group}.ts`);

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write')) {
  for (const service of AWS_SERVICES) writeFileSync(modelFile(service), modelSource(service));
}
