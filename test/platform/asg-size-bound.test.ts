// Elastic Beanstalk's aws:autoscaling:asg MinSize and MaxSize take 1 to 10000 in EB, but an
// environment runs as one ECS service, so Wharf bounds them at Tasks per service (5,000): a value
// in between is refused by option, naming its namespace and name, before anything is written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestController } from '../support/controller.js';
import { EB } from './support.js';

test('MinSize and MaxSize past Tasks per service are refused by option, and nothing is saved', async (t) => {
  const api = await startTestController(t);
  assert.equal((await api.call('POST', `${EB}/CreateApplication`, { ApplicationName: 'big' })).status, 200);
  const tooMany = [
    { Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '5001' },
    { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '10000' },
  ];

  const validated = await api.call('POST', `${EB}/ValidateConfigurationSettings`, { ApplicationName: 'big', OptionSettings: tooMany });
  assert.equal(validated.status, 200, validated.text);
  const errors = validated.json.Messages.filter((m: any) => m.Severity === 'error');
  assert.deepEqual(errors.map((m: any) => `${m.Namespace} ${m.OptionName}`), ['aws:autoscaling:asg MinSize', 'aws:autoscaling:asg MaxSize'], validated.text);
  assert.match(errors[1].Message, /^MaxSize '10000' is valid in Elastic Beanstalk \(up to 10000\), but Wharf takes at most 5000: .*"Tasks per service".* Set MaxSize from 1 to 5000$/);

  const saved = await api.call('POST', `${EB}/CreateConfigurationTemplate`, { ApplicationName: 'big', TemplateName: 'huge', OptionSettings: [tooMany[1]] });
  assert.equal(saved.status, 400, saved.text);
  assert.equal(saved.json.code, 'WHARF_E_INVALID_CONFIGURATION');
  assert.deepEqual(saved.json.errors.map((e: any) => e.field), ['aws:autoscaling:asg:MaxSize']);
  const described = await api.call('POST', `${EB}/DescribeApplications`, { ApplicationNames: ['big'] });
  assert.deepEqual(described.json.Applications[0].ConfigurationTemplates, [], 'no saved configuration was written');

  const atTheBound = await api.call('POST', `${EB}/ValidateConfigurationSettings`, {
    ApplicationName: 'big',
    OptionSettings: [{ Namespace: 'aws:autoscaling:asg', OptionName: 'MinSize', Value: '5000' }, { Namespace: 'aws:autoscaling:asg', OptionName: 'MaxSize', Value: '5000' }],
  });
  assert.deepEqual(atTheBound.json.Messages.filter((m: any) => m.Severity === 'error'), []);
});
