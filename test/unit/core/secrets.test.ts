import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../../../src/core/secrets.js';

describe('redactCredentials: secrets recognised by their shape', () => {
  it('removes URL passwords, keeping scheme, user, host and path', () => {
    expect(redactCredentials('dial redis://default:pw-1@10.0.0.1:6379/0 failed')).toBe('dial redis://default:***@10.0.0.1:6379/0 failed');
    expect(redactCredentials('rediss://:only-pass@cache:6380')).toBe('rediss://:***@cache:6380');
    expect(redactCredentials('"https://ops:p%40ss@prom:9090/x"')).toBe('"https://ops:***@prom:9090/x"');
    expect(redactCredentials('a@b.c and https://user@host/ and mailto:x@y')).toBe('a@b.c and https://user@host/ and mailto:x@y');
  });

  it('removes credential header values in header, name=value and JSON forms', () => {
    expect(redactCredentials('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer ***');
    expect(redactCredentials('authorization=Basic dXNlcjpwdw==')).toBe('authorization=Basic ***');
    expect(redactCredentials('{"Authorization":"Token t0k","cookie":"sid=1"}')).toBe('{"Authorization":"Token ***","cookie":"***"}');
    expect(redactCredentials('X-Api-Key: k-123, Proxy-Authorization: raw')).toBe('X-Api-Key: ***, Proxy-Authorization: ***');
  });

  it('removes secret query parameters only', () => {
    expect(redactCredentials('/q?query=up&access_token=t1&step=60')).toBe('/q?query=up&access_token=***&step=60');
    expect(redactCredentials('https://b.s3/x?X-Amz-Signature=abc123#frag')).toBe('https://b.s3/x?X-Amz-Signature=***#frag');
    expect(redactCredentials('/q?query=sum(rate(x[5m]))&time=1')).toBe('/q?query=sum(rate(x[5m]))&time=1');
  });

  it('leaves ordinary text, config paths and env var names alone', () => {
    const plain = 'environments.prod.redis.passwordEnv: REDIS_PASSWORD is unset; tokens: 3; Basic auth is off';
    expect(redactCredentials(plain)).toBe(plain);
    const path = 'literal.yaml: environments.prod.metrics.headers.X-Api-Key: a credential header is never read from the config file';
    expect(redactCredentials(path)).toBe(path);
  });
});
