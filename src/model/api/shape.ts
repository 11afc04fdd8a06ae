/**
 * The shape of a request as its zod schema takes it, in the terms AWS's models use: strings,
 * numbers, booleans, lists, maps and structures (with their required members), and values taken
 * as they are. One reader for two readers of text: the Query protocol decodes a form by it
 * (`aws/query-protocol.ts`), and the `wharf` CLI types its options' shorthand by it. Pure.
 */
import type { z } from 'zod';

export type RequestShape =
  | { readonly kind: 'string' | 'number' | 'boolean' }
  /** A value the schema takes as it is (JSON it bounds, a field refused by name): read as text, or as the structures and lists its names make. */
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly element: RequestShape }
  | { readonly kind: 'map'; readonly value: RequestShape }
  /** `required`: the members the schema needs (neither optional nor defaulted). */
  | { readonly kind: 'structure'; readonly members: Readonly<Record<string, () => RequestShape>>; readonly required: readonly string[] };

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly in?: z.ZodType;
  readonly out?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

const STRING: RequestShape = { kind: 'string' };
const WRAPPERS: ReadonlySet<string> = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);
/** Wrappers that make a member needless: a request may leave it out. */
const OPTIONAL: ReadonlySet<string> = new Set(['optional', 'default', 'prefault', 'catch']);

/** Whether a request may leave a member out: optional or defaulted, also under a transform. */
function isOptional(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (OPTIONAL.has(def.type)) return true;
  return def.type === 'pipe' && def.in !== undefined && defOf(def.in).type !== 'transform' && isOptional(def.in);
}

/**
 * The shape of a zod schema: what text given for it (a form's value, a shorthand word) is read as. Wrappers
 * (optional, default, …) are looked through; a transform's input is what the form gives (a
 * preprocess's output); a union that takes text takes the form's text as it is.
 */
export function shapeOf(schema: z.ZodType, depth = 0): RequestShape {
  if (depth > 64) return STRING;
  const def = defOf(schema);
  const next = (inner: z.ZodType | undefined): RequestShape => (inner ? shapeOf(inner, depth + 1) : STRING);
  if (WRAPPERS.has(def.type)) return next(def.innerType);
  switch (def.type) {
    case 'number':
    case 'int':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'unknown':
    case 'any':
      return { kind: 'any' };
    case 'literal': {
      const value = def.values?.[0];
      return typeof value === 'number' ? { kind: 'number' } : typeof value === 'boolean' ? { kind: 'boolean' } : STRING;
    }
    case 'array':
      return { kind: 'list', element: next(def.element) };
    case 'record':
      return { kind: 'map', value: next(def.valueType) };
    case 'object': {
      const members: Record<string, () => RequestShape> = {};
      const required: string[] = [];
      for (const [name, member] of Object.entries(def.shape ?? {})) {
        members[name] = () => shapeOf(member, depth + 1);
        if (!isOptional(member)) required.push(name);
      }
      return { kind: 'structure', members, required };
    }
    case 'pipe':
      return def.in && defOf(def.in).type === 'transform' ? next(def.out) : next(def.in);
    case 'lazy':
      return def.getter ? next(def.getter()) : STRING;
    case 'intersection': {
      const left = next(def.left);
      const right = next(def.right);
      return left.kind === 'structure' && right.kind === 'structure' ? { kind: 'structure', members: { ...left.members, ...right.members }, required: [...left.required, ...right.required] } : left;
    }
    case 'union': {
      const options = (def.options ?? []).map((option) => next(option));
      return options.find((option) => option.kind === 'string') ?? options[0] ?? STRING;
    }
    default:
      return STRING;
  }
}
