import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testHost } from './fixtures.test-support.js';
import { evaluateClusterQuery, hostQueryTarget, parseClusterQuery } from './query.js';
import { pinToHost, taskCpu, taskMemory, taskPorts, taskRequirement } from './requirement.js';

describe('task requirement from a task definition (ECS rules)', () => {
  it('CPU: task level when set, else the sum of containers (unset = 0)', () => {
    assert.equal(taskCpu({ cpu: 512, containerDefinitions: [{ cpu: 1024 }] }), 512);
    assert.equal(taskCpu({ containerDefinitions: [{ cpu: 256 }, { cpu: 128 }, {}] }), 384);
  });

  it('memory: task level when set, else memoryReservation (soft) per container, else memory (hard)', () => {
    assert.equal(taskMemory({ memory: 2048, containerDefinitions: [{ memory: 4096 }] }), 2048);
    assert.equal(taskMemory({ containerDefinitions: [{ memory: 1024, memoryReservation: 256 }, { memory: 512 }] }), 768);
    assert.equal(taskMemory({ containerDefinitions: [{ memoryReservation: 128 }] }), 128);
  });

  it('ports: bridge keeps hostPort (0 or unset = dynamic); host uses the container port; awsvpc and none take none', () => {
    const containerDefinitions = [{ portMappings: [{ containerPort: 8080 }, { containerPort: 53, hostPort: 53, protocol: 'udp' as const }] }, { portMappings: [{ containerPort: 9090, hostPort: 0 }] }];
    assert.deepEqual(taskPorts({ containerDefinitions }), [
      { hostPort: 0, protocol: 'tcp' },
      { hostPort: 53, protocol: 'udp' },
      { hostPort: 0, protocol: 'tcp' },
    ]);
    assert.deepEqual(
      taskPorts({ networkMode: 'host', containerDefinitions }).map((p) => p.hostPort),
      [8080, 53, 9090],
    );
    assert.deepEqual(taskPorts({ networkMode: 'awsvpc', containerDefinitions }), []);
    assert.deepEqual(taskPorts({ networkMode: 'none', containerDefinitions }), []);
  });

  it('group defaults to family:<family>; task-definition constraints come before the request', () => {
    const req = taskRequirement(
      { family: 'web', containerDefinitions: [{ memory: 256 }], placementConstraints: [{ type: 'memberOf', expression: 'attribute:a exists' }] },
      { placementConstraints: [{ type: 'distinctInstance' }], placementStrategy: [{ type: 'spread', field: 'instanceId' }] },
    );
    assert.equal(req.group, 'family:web');
    assert.deepEqual(req.placementConstraints.map((c) => c.type), ['memberOf', 'distinctInstance']);
    assert.deepEqual(req.placementStrategy, [{ type: 'spread', field: 'instanceId' }]);
    assert.equal(taskRequirement({ family: 'web', containerDefinitions: [] }, { group: 'service:web' }).group, 'service:web');
  });
});

describe('pinning a task to one host (DAEMON services)', () => {
  it('adds a memberOf on ec2InstanceId, quoting the name', () => {
    const pinned = pinToHost([{ type: 'distinctInstance' }], 'web "1"\\b', 10);
    assert.deepEqual(pinned, [{ type: 'distinctInstance' }, { type: 'memberOf', expression: 'ec2InstanceId == "web \\"1\\"\\\\b"' }]);
    const query = parseClusterQuery(pinned[1]!.expression!);
    assert.equal(evaluateClusterQuery(query, hostQueryTarget(testHost('x', { ec2InstanceId: 'web "1"\\b' }))), true);
    assert.equal(evaluateClusterQuery(query, hostQueryTarget(testHost('x', { ec2InstanceId: 'web "1"' }))), false);
  });

  it('folds the memberOf expressions into one when the list is full', () => {
    const full = [{ type: 'distinctInstance' as const }, { type: 'memberOf' as const, expression: 'attribute:a == 1' }, { type: 'memberOf' as const, expression: 'attribute:b exists or attribute:c exists' }];
    assert.deepEqual(pinToHost(full, 'h', 3), [{ type: 'distinctInstance' }, { type: 'memberOf', expression: '(attribute:a == 1) and (attribute:b exists or attribute:c exists) and ec2InstanceId == "h"' }]);
  });
});
