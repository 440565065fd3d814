/**
 * The AWS faults' arguments as an experiment file gives them: what is refused
 * (exit 2 naming the field, with the exact reason a user reads) and which
 * chaostoolkit forms are accepted.
 */
import { describe, expect, it } from 'vitest';
import { asgTerminate, ec2Stop } from '../../../../src/core/chaos/actions/aws.js';
import { expectInputError } from '../error-contract.js';
import { args } from './faults-ctx.js';

const R = 'us-east-1';

describe('aws.ec2-stop / ec2-terminate arguments', () => {
  it.each([
    ['no selector at all', {}, 'tags', 'tags: choose instances by tags, instanceIds or filters'],
    ['an empty tag map', { tags: {} }, 'tags', 'tags: an empty tag map would match every instance or group: name at least one tag'],
    ['an unsupported EC2 filter', { filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'vpc-id', Values: ['vpc-1'] }] }, 'filters[1].Name', 'filters[1].Name: filter vpc-id is not supported: use tag:KEY, instance-state-name, availability-zone or instance-id'],
    [
      'a state filter alone',
      { filters: [{ Name: 'instance-state-name', Values: ['running'] }] },
      'filters',
      'filters: instance-state-name and availability-zone filters alone match every instance in the region or zone: add a tag:KEY or instance-id filter (or tags / instanceIds)',
    ],
    [
      'a zone and a state filter together',
      { filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }, { Name: 'instance-state-name', Values: ['running'] }] },
      'filters',
      'filters: instance-state-name and availability-zone filters alone match every instance in the region or zone: add a tag:KEY or instance-id filter (or tags / instanceIds)',
    ],
  ])('%s is exit 2 with the reason', (_, extra, field, message) => {
    const e = expectInputError(() => args(ec2Stop, { region: R, ...extra }), field);
    expect(e.message).toBe(message);
  });

  it.each([
    ['every supported filter, with a tag among them', { filters: [{ Name: 'tag:app', Values: ['web'] }, { Name: 'instance-state-name', Values: ['running'] }, { Name: 'availability-zone', Values: ['us-east-1a'] }] }],
    ['an instance-id filter alone', { filters: [{ Name: 'instance-id', Values: ['i-0abc'] }] }],
    ['an instance-id filter with a zone filter', { filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }, { Name: 'instance-id', Values: ['i-0abc'] }] }],
    ['a state filter next to tags', { tags: { app: 'web' }, filters: [{ Name: 'instance-state-name', Values: ['running'] }] }],
    ['a zone filter next to instanceIds', { instanceIds: ['i-0abc'], filters: [{ Name: 'availability-zone', Values: ['us-east-1b'] }] }],
  ])('%s is accepted', (_, extra) => {
    const a = args(ec2Stop, { region: R, ...extra });
    expect(a.region).toBe(R);
  });
});

describe('aws.asg-terminate arguments', () => {
  it.each([
    ['neither names nor tags', {}, 'asgNames', 'asgNames: choose the groups by asgNames or by tags'],
    ['names and tags', { asgNames: ['web'], tags: { app: 'web' } }, 'tags', 'tags: give asgNames or tags, not both'],
    ['an empty tag map', { tags: {} }, 'tags', 'tags: an empty tag map would match every instance or group: name at least one tag'],
    ['one key with two values', { tags: [{ Key: 'app', Value: 'a' }, { Key: 'env', Value: 'x' }, { Key: 'app', Value: 'b' }] }, 'tags[2].Key', 'tags[2].Key: tag app is given twice with different values; a group carries one value per key'],
  ])('%s is exit 2 with the reason', (_, extra, field, message) => {
    const e = expectInputError(() => args(asgTerminate, { region: R, ...extra }), field);
    expect(e.message).toBe(message);
  });

  it('a chaostoolkit tag list may repeat a pair with the same value', () => {
    expect(args(asgTerminate, { region: R, tags: [{ Key: 'app', Value: 'web' }, { Key: 'app', Value: 'web' }] }).tags).toEqual({ app: 'web' });
  });
});
