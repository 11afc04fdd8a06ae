import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { notYetField } from '../validation.js';
import { shapeOf } from './shape.js';

test('a request schema read as AWS shapes: scalars, lists, maps, structures with their required members, values taken as they are', () => {
  const schema = z
    .object({
      name: z.string().min(1),
      count: z.number().int().default(1),
      enabled: z.boolean().optional(),
      tags: z.array(z.object({ key: z.string(), value: z.string().optional() }).strict()).optional(),
      labels: z.record(z.string(), z.string()).optional(),
      value: z.union([z.string(), z.number()]).optional().transform(String),
      later: notYetField('not yet'),
      flag: z.literal(true),
      size: z.preprocess((v) => v, z.number()),
    })
    .strict()
    .superRefine(() => undefined);
  const shape = shapeOf(schema);
  assert.equal(shape.kind, 'structure');
  if (shape.kind !== 'structure') return;
  assert.deepEqual(shape.required, ['name', 'flag', 'size']);
  const kinds = Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, member().kind]));
  assert.deepEqual(kinds, { name: 'string', count: 'number', enabled: 'boolean', tags: 'list', labels: 'map', value: 'string', later: 'any', flag: 'boolean', size: 'number' });
  const tags = shape.members.tags?.();
  assert.ok(tags?.kind === 'list' && tags.element.kind === 'structure');
  if (tags?.kind === 'list' && tags.element.kind === 'structure') assert.deepEqual(tags.element.required, ['key']);
});
