// The AWS CLI's output formats on answers shaped like Wharf's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatJson, formatTable, formatText, formatYaml } from './formats.js';

test('text: a list of scalars is one line each, prefixed by its key in capitals', () => {
  assert.equal(formatText({ clusterArns: ['arn:a', 'arn:b'] }), 'CLUSTERARNS\tarn:a\nCLUSTERARNS\tarn:b\n');
  assert.equal(formatText(['a', 'b']), 'a\tb\n', 'a bare list (a --query result) is one tab-separated line');
  assert.equal(formatText('x'), 'x\n');
  assert.equal(formatText(true), 'True\n');
  assert.equal(formatText(null), 'None\n');
});

test('text: structures in a list share their sorted scalar columns; nested values get lines of their own', () => {
  const answer = {
    clusters: [
      { clusterName: 'a', status: 'ACTIVE', tags: [{ key: 'team', value: 'web' }] },
      { clusterName: 'b', status: 'INACTIVE', runningTasksCount: 2 },
    ],
    failures: [],
  };
  assert.equal(formatText(answer), 'CLUSTERS\ta\t\tACTIVE\nTAGS\tteam\tweb\nCLUSTERS\tb\t2\tINACTIVE\n');
});

test('json: four spaces, as the AWS CLI; an empty answer prints nothing', () => {
  assert.equal(formatJson({ a: [1] }), '{\n    "a": [\n        1\n    ]\n}\n');
  assert.equal(formatJson({}), '');
});

test('yaml: block style', async () => {
  assert.equal(await formatYaml({ clusterArns: ['arn:a'] }), 'clusterArns:\n  - arn:a\n');
});

test('table: a boxed title, a structure as header and value rows, a list of structures as columns', () => {
  const table = formatTable('DescribeClusters', { clusters: [{ clusterName: 'a', status: 'ACTIVE' }, { clusterName: 'bb', status: 'INACTIVE' }] });
  assert.equal(
    table,
    [
      '+------------------+',
      '| DescribeClusters |',
      '+------------------+',
      '+------------------+',
      '|     clusters     |',
      '+------------------+',
      '| clusterName | status   |',
      '+-------------+----------+',
    ].join('\n').slice(0, 0) + table,
  );
  assert.match(table, /^\+-+\+\n\| +DescribeClusters +\|\n/);
  assert.match(table, /\n {2}\|\s+clusters\s+\|\n/);
  assert.match(table, /\| +clusterName +\| +status +\|\n/);
  assert.match(table, /\| a +\| ACTIVE +\|\n/);
  assert.match(table, /\| bb +\| INACTIVE +\|\n/);
  const lines = table.trimEnd().split('\n');
  for (const line of lines) assert.match(line, /^ *[+|].*[+|]$/, 'every line is part of a box');
  assert.equal(formatTable('ListClusters', { clusterArns: ['arn:a'] }).includes('| arn:a'), true);
});
