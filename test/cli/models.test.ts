// The CLI's service models are what the AWS CLI's own botocore data says, for the operations Wharf serves.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AWS_SERVICES } from '../../src/cli/aws/services.js';
import { cliName } from '../../src/cli/aws/model.js';
import { modelFile, modelSource } from './cli-models.js';

for (const service of AWS_SERVICES) {
  test(`src/cli/aws/models/${service.group}.ts is generated from ${service.botocore} (run node dist/test/cli/cli-models.js --write)`, () => {
    assert.equal(readFileSync(modelFile(service), 'utf8'), modelSource(service));
  });
}

test("option names are the AWS CLI's (botocore's xform_name)", () => {
  const cases: Record<string, string> = {
    TargetGroupArn: 'target-group-arn',
    deploymentConfiguration: 'deployment-configuration',
    ResourceARNs: 'resource-arns',
    HealthCheckIntervalSeconds: 'health-check-interval-seconds',
    CNAMEPrefix: 'cname-prefix',
    SwapEnvironmentCNAMEs: 'swap-environment-cnames',
    DescribeDNSName: 'describe-dns-name',
    MaxItems: 'max-items',
  };
  for (const [name, expected] of Object.entries(cases)) assert.equal(cliName(name), expected, name);
});
