// Which platform names an environment answers back as its SolutionStackName (EB's solution stacks), and which Wharf answers with its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solutionStackNameOf } from './platform-versions.js';
import { ebSolutionStackName } from './solution-stack.js';

test("EB's solution stack names of the platforms Wharf runs are kept as given; other names are not", () => {
  for (const name of ['64bit Amazon Linux 2023 v6.1.0 running Node.js 20', '64bit Amazon Linux 2023 v4.0.0 running Python 3.11', '64bit Amazon Linux 2 v3.6.0 running Docker']) {
    assert.equal(ebSolutionStackName(name), name);
  }
  assert.equal(ebSolutionStackName(' 64bit Amazon Linux 2023 v6.1.0 running Node.js 20 '), '64bit Amazon Linux 2023 v6.1.0 running Node.js 20');
  for (const name of ['Node.js running on Wharf', 'Node.js 20 running on 64bit Amazon Linux 2023', 'nodejs', 'arn:aws:elasticbeanstalk:us-east-1::platform/Node.js 20 running on 64bit Amazon Linux 2023/6.1.0', '64bit Amazon Linux 2023 v4.0.0 running Go 1', undefined]) {
    assert.equal(ebSolutionStackName(name), undefined, String(name));
  }
});

test("a record answers the stack it was made with, else Wharf's own name of its platform", () => {
  assert.equal(solutionStackNameOf({ platform: 'nodejs', solutionStackName: '64bit Amazon Linux 2023 v6.1.0 running Node.js 20' }), '64bit Amazon Linux 2023 v6.1.0 running Node.js 20');
  assert.equal(solutionStackNameOf({ platform: 'python' }), 'Python running on Wharf');
});
