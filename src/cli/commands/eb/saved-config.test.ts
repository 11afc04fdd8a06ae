// A saved configuration as the EB CLI's .cfg.yml.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { savedConfigYaml } from './saved-config.js';

test('settings group by namespace; metadata, platform, tier and format version as the EB CLI writes them', () => {
  const text = savedConfigYaml({
    ApplicationName: 'shop',
    TemplateName: 'prod',
    Description: 'saved',
    SolutionStackName: 'Node.js running on Wharf',
    DateCreated: '2026-01-05T07:08:09.000Z',
    DateUpdated: '2026-01-05T07:08:09.000Z',
    OptionSettings: [
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'GREETING', Value: 'hi' },
      { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '2' },
      { Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'DEBUG', Value: '1' },
      { Namespace: 'aws:autoscaling:scheduledaction', OptionName: 'MinSize', Value: '0', ResourceName: 'night' },
    ],
  });
  assert.deepEqual(parse(text), {
    EnvironmentConfigurationMetadata: { Description: 'saved', DateCreated: '2026-01-05T07:08:09.000Z', DateModified: '2026-01-05T07:08:09.000Z' },
    SolutionStack: 'Node.js running on Wharf',
    OptionSettings: {
      'aws:elasticbeanstalk:application:environment': { GREETING: 'hi', DEBUG: '1' },
      'aws:autoscaling:asg': { MinSize: '2' },
      'night.aws:autoscaling:scheduledaction': { MinSize: '0' },
    },
    EnvironmentTier: { Type: 'Standard', Name: 'WebServer' },
    AWSConfigurationTemplateVersion: '1.1.0.0',
  });
});
