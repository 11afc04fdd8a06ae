/**
 * The part of an AWS service model (botocore's service-2.json, paginators-1.json, waiters-2.json)
 * the `wharf` CLI needs to speak the AWS CLI's grammar: each operation's input and output shapes,
 * its paginator and the service's waiters. The files under `models/` are generated from the AWS
 * CLI's own models (`test/cli/models.test.ts` checks them; WHARF_WRITE_CLI_MODELS=1 rewrites them),
 * trimmed to the operations Wharf serves.
 */

/** A scalar shape, named by its type; a member refers to it by this name. */
export type ScalarType = 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';

export const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>(['string', 'integer', 'long', 'float', 'double', 'boolean', 'timestamp', 'blob']);

/** A shape reference: a scalar type, or the name of a complex shape in `ServiceModel.shapes`. */
export type ShapeRef = string;

export type ComplexShape =
  | { readonly type: 'structure'; readonly members: Readonly<Record<string, ShapeRef>>; readonly required?: readonly string[]; readonly document?: true }
  | { readonly type: 'list'; readonly member: ShapeRef }
  | { readonly type: 'map'; readonly value: ShapeRef };

export interface Paginator {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly limitKey?: string;
  readonly resultKeys: readonly string[];
  /** IAM's: the output member that says another page exists. */
  readonly moreResults?: string;
}

export interface WaiterAcceptor {
  readonly state: 'success' | 'failure' | 'retry';
  readonly matcher: 'path' | 'pathAll' | 'pathAny' | 'error' | 'status';
  readonly argument?: string;
  readonly expected: string | number | boolean;
}

export interface Waiter {
  readonly operation: string;
  readonly delay: number;
  readonly maxAttempts: number;
  readonly acceptors: readonly WaiterAcceptor[];
}

export interface OperationModel {
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
  readonly paginator?: Paginator;
}

export interface ServiceModel {
  /** The botocore service name and API version the file was generated from. */
  readonly source: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ComplexShape>>;
  /** By the AWS CLI's command name (`services-stable`). */
  readonly waiters: Readonly<Record<string, Waiter>>;
}

/** A resolved shape: a scalar type or a complex shape. */
export type Shape = { readonly type: ScalarType } | ComplexShape;

/** The shape a reference names. */
export function resolveShape(model: ServiceModel, ref: ShapeRef): Shape {
  if (SCALAR_TYPES.has(ref)) return { type: ref as ScalarType };
  const shape = model.shapes[ref];
  if (!shape) throw new Error(`The CLI model ${model.source} has no shape ${ref}`);
  return shape;
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
