// The container port of a docker version, from its Dockerfile and the built image.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerPortOf, DEFAULT_CONTAINER_PORT } from './image.js';

test('the first TCP port of the first EXPOSE wins', () => {
  assert.equal(containerPortOf('FROM x\nEXPOSE 3000\nEXPOSE 4000\n'), 3000);
  assert.equal(containerPortOf('FROM x\nexpose 53/udp 8081/tcp 9000\n'), 8081);
  assert.equal(containerPortOf('FROM x\nEXPOSE 8000-8010\n'), 8000);
  assert.equal(containerPortOf('FROM x\n# EXPOSE 1111\nRUN echo \\\n  EXPOSE 2222\nEXPOSE \\\n  5000\n'), 5000);
});

test('only the last stage counts', () => {
  assert.equal(containerPortOf('FROM a AS build\nEXPOSE 1234\nFROM b\nEXPOSE 4321\n'), 4321);
  assert.equal(containerPortOf('FROM a AS build\nEXPOSE 1234\nFROM b\nCMD ["x"]\n'), DEFAULT_CONTAINER_PORT);
});

test('without a literal port the image’s exposed ports decide, then the default', () => {
  assert.equal(containerPortOf('FROM x\nARG PORT=7000\nEXPOSE $PORT\n', ['7000/tcp']), 7000);
  assert.equal(containerPortOf('FROM x\n', ['9000/tcp', '53/udp', '8500/tcp']), 8500);
  assert.equal(containerPortOf('FROM x\nEXPOSE 53/udp\n', ['53/udp']), DEFAULT_CONTAINER_PORT);
  assert.equal(containerPortOf('FROM x\n'), 8080);
});
