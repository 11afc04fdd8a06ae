/**
 * What the `wharf` CLI needs to speak the AWS CLI's grammar for one service, built from Wharf's own
 * API model: each operation's native route and its input shape, read from the operation's request
 * schema (`model/api/operation.ts`, `model/api/shape.ts`: the shapes the controller's Query
 * protocol decodes forms by), its paginator, and the service's waiters (the AWS CLI's names and
 * rules: `paginators.ts`, `waiters.ts`). Nothing is copied from AWS's model files: the options are
 * the schemas' members, as the controller takes them.
 *
 * Reading the shapes needs zod and the schemas, about 100 ms of module loading before a command can
 * send anything. So the build (`npm run build`) also writes each service's routes and shapes as
 * JSON beside the compiled CLI (`write-models.ts`, build output, never committed), and a command
 * reads that; a build older than the compiled code (`tsc` run alone since) is not trusted, and the
 * shapes are read from the schemas instead.
 */
import { readFileSync, statSync } from 'node:fs';
import type { ApiRoute } from '../../model/api/operation.js';
import type { RequestShape } from '../../model/api/shape.js';
import { PAGINATORS } from './paginators.js';
import type { AwsService } from './services.js';
import type { Waiter } from './waiters.js';
import { WAITERS } from './waiters.js';

export type { RequestShape };
export type StructureShape = Extract<RequestShape, { kind: 'structure' }>;

export interface Paginator {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly limitKey?: string;
  readonly resultKeys: readonly string[];
  /** IAM's: the output member that says another page exists. */
  readonly moreResults?: string;
}

export interface OperationModel {
  readonly api: ApiRoute;
  /** The request's members as options: the schema's, and AWS's members Wharf does not act on (taken as they are, and dropped). */
  readonly input: StructureShape;
  readonly paginator?: Paginator;
}

export interface ServiceModel {
  /** In `--help`'s order. */
  readonly operations: Readonly<Record<string, OperationModel>>;
  /** By the AWS CLI's waiter name (`services-stable`). */
  readonly waiters: Readonly<Record<string, Waiter>>;
}

/** A shape as JSON: a structure's members as values rather than functions. */
export type PlainShape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'any' }
  | { readonly kind: 'list'; readonly element: PlainShape }
  | { readonly kind: 'map'; readonly value: PlainShape }
  | { readonly kind: 'structure'; readonly members: Readonly<Record<string, PlainShape>>; readonly required: readonly string[] };

/** A service's operations as the build writes them. */
export type PlainOperations = Readonly<Record<string, { readonly api: ApiRoute; readonly input: PlainShape }>>;

const EMPTY: StructureShape = { kind: 'structure', members: {}, required: [] };

/** Nesting deeper than any request of Wharf's goes; below it a value is taken as it is (recursive shapes). */
const MAX_DEPTH = 12;

export function toPlain(shape: RequestShape, depth = 0): PlainShape {
  if (depth > MAX_DEPTH) return { kind: 'any' };
  switch (shape.kind) {
    case 'list':
      return { kind: 'list', element: toPlain(shape.element, depth + 1) };
    case 'map':
      return { kind: 'map', value: toPlain(shape.value, depth + 1) };
    case 'structure':
      return { kind: 'structure', members: Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, toPlain(member(), depth + 1)])), required: shape.required };
    default:
      return { kind: shape.kind };
  }
}

function fromPlain(shape: PlainShape): RequestShape {
  switch (shape.kind) {
    case 'list':
      return { kind: 'list', element: fromPlain(shape.element) };
    case 'map':
      return { kind: 'map', value: fromPlain(shape.value) };
    case 'structure':
      return { kind: 'structure', members: Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, () => fromPlain(member)])), required: shape.required };
    default:
      return { kind: shape.kind };
  }
}

/** A service's operations read from its request schemas (loads zod and the schemas). */
export async function plainOperations(service: AwsService): Promise<PlainOperations> {
  const [api, { shapeOf }] = await Promise.all([service.api(), import('../../model/api/shape.js')]);
  return Object.fromEntries(
    Object.entries(api).map(([name, { request, ...route }]) => {
      const shape = shapeOf(request);
      const members = toPlain(shape.kind === 'structure' ? shape : EMPTY);
      // AWS's members Wharf accepts and does not act on are options too, taken as they are.
      const notActedOn = Object.fromEntries((route.notActedOn ?? []).map((member) => [member, { kind: 'any' as const }]));
      const input: PlainShape = members.kind === 'structure' ? { ...members, members: { ...members.members, ...notActedOn } } : members;
      return [name, { api: route, input }];
    }),
  );
}

/** Where the build writes a service's operations. */
export const modelFile = (group: string): URL => new URL(`./models/${group}.json`, import.meta.url);

/** The build's file for the service, unless the compiled code is newer than it. */
function builtOperations(group: string): PlainOperations | undefined {
  try {
    const file = modelFile(group);
    // tsc rewrites every output, this module's table among them: a file older than that is another build's.
    if (statSync(file).mtimeMs < statSync(new URL('../../model/api/operation.js', import.meta.url)).mtimeMs) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as PlainOperations;
  } catch {
    return undefined;
  }
}

/** The service's model: the build's routes and shapes when they are current, else read from the schemas now. */
export async function loadModel(service: AwsService): Promise<ServiceModel> {
  const plain = builtOperations(service.group) ?? (await plainOperations(service));
  const paginators = PAGINATORS[service.group] ?? {};
  const operations = Object.fromEntries(
    Object.entries(plain).map(([name, { api, input }]): [string, OperationModel] => {
      const shape = fromPlain(input);
      const paginator = paginators[name];
      return [name, { api, input: shape.kind === 'structure' ? shape : EMPTY, ...(paginator ? { paginator } : {}) }];
    }),
  );
  return { operations, waiters: WAITERS[service.group] ?? {} };
}

/**
 * The AWS CLI's name for a member or operation (botocore's xform_name with "-"): `TargetGroupArn`
 * → `target-group-arn`, `ResourceARNs` → `resource-arns`.
 */
export function cliName(name: string): string {
  let out = name;
  const special = /[A-Z]{2,}s$/.exec(out);
  if (special) out = `${out.slice(0, -special[0].length)}-${special[0].toLowerCase()}`;
  out = out.replace(/(.)([A-Z][a-z]+)/g, '$1-$2');
  return out.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
