/**
 * `--generate-cli-skeleton [input|output|yaml-input]`: a request (or answer) with every member of
 * the operation's shape and a placeholder of its type, as the AWS CLI prints it: "" for strings,
 * 0 for numbers, true for booleans, one element in a list, a "KeyName" in a map.
 */
import { usageError } from './argv.js';
import type { OperationModel, ServiceModel, ShapeRef } from './model.js';
import { resolveShape } from './model.js';

function placeholder(model: ServiceModel, ref: ShapeRef, seen: readonly string[]): unknown {
  if (seen.includes(ref)) return {};
  const shape = resolveShape(model, ref);
  switch (shape.type) {
    case 'structure':
      if (shape.document === true) return {};
      return Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, placeholder(model, member, [...seen, ref])]));
    case 'list':
      return [placeholder(model, shape.member, [...seen, ref])];
    case 'map':
      return { KeyName: placeholder(model, shape.value, [...seen, ref]) };
    case 'string':
      return '';
    case 'integer':
    case 'long':
      return 0;
    case 'float':
    case 'double':
      return 0.0;
    case 'boolean':
      return true;
    case 'timestamp':
      return '1970-01-01T00:00:00';
    case 'blob':
      return null;
  }
}

/** The skeleton text for `kind`. */
export async function skeleton(model: ServiceModel, op: OperationModel, kind: string): Promise<string> {
  if (kind !== 'input' && kind !== 'output' && kind !== 'yaml-input') throw usageError(`--generate-cli-skeleton takes input, output or yaml-input, not "${kind}"`);
  const ref = kind === 'output' ? op.output : op.input;
  const value = ref === undefined ? {} : placeholder(model, ref, []);
  if (kind === 'yaml-input') return (await import('yaml')).stringify(value);
  return JSON.stringify(value, null, 4) + '\n';
}
