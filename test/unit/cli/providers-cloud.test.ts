/**
 * The cloud wiring in src/cli/providers.ts: which settings the AWS and
 * Kubernetes providers receive from `environments.<env>.aws|kubernetes`,
 * through a registry whose providers record what they were given.
 */
import { describe, expect, it } from 'vitest';
import { alarmsFromConfig, clusterFromConfig, computeFromConfig, dnsFromConfig, experimentsFromConfig, makeKit, ProviderRegistry } from '../../../src/cli/providers.js';
import { resolveConfig } from '../../../src/core/config/resolve.js';
import type { PortName, ProviderRegistration } from '../../../src/ports/providers.js';

function recording() {
  const got: Array<{ port: PortName; scheme: string; settings: unknown }> = [];
  const reg = (port: PortName, scheme: string): ProviderRegistration => ({
    port,
    scheme,
    async create(settings) {
      got.push({ port, scheme, settings });
      return { kind: scheme } as never;
    },
  });
  const entries = [reg('cluster', 'kubernetes'), reg('compute', 'aws'), reg('dns', 'aws'), reg('alarms', 'aws'), reg('experiments', 'aws')].map((registration) => ({ registration, plugin: 'test' }));
  return { registry: new ProviderRegistry(entries, [], makeKit('test')), got };
}

const resolved = (yaml: string, env: Record<string, string> = {}) => resolveConfig({ file: { path: '/etc/relia/relia.config.yaml', text: yaml }, env });

describe('AWS and Kubernetes ports from config', () => {
  it('passes region, profile, endpoint, timeout and attempts to every AWS port; per-service endpoints win for their port', async () => {
    const { registry, got } = recording();
    const r = resolved(`environments:
  prod:
    aws:
      region: eu-west-1
      profile: chaos
      endpoint: http://127.0.0.1:5000
      endpoints: { fis: "http://127.0.0.1:6000" }
      timeout: 4s
      maxAttempts: 5
`);
    await computeFromConfig(registry, r);
    await dnsFromConfig(registry, r);
    await alarmsFromConfig(registry, r);
    await experimentsFromConfig(registry, r);
    const base = { region: 'eu-west-1', profile: 'chaos', timeoutMs: 4000, maxAttempts: 5 };
    expect(got).toEqual([
      { port: 'compute', scheme: 'aws', settings: { ...base, endpoint: 'http://127.0.0.1:5000' } },
      { port: 'dns', scheme: 'aws', settings: { ...base, endpoint: 'http://127.0.0.1:5000' } },
      { port: 'alarms', scheme: 'aws', settings: { ...base, endpoint: 'http://127.0.0.1:5000' } },
      { port: 'experiments', scheme: 'aws', settings: { ...base, endpoint: 'http://127.0.0.1:6000' } },
    ]);
  });

  it('with no aws section: defaults (10 s, 3 attempts) and nothing else, so the SDK chain (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL) decides', async () => {
    const { registry, got } = recording();
    await computeFromConfig(registry, resolved('environments:\n  dev: {}\n'));
    expect(got[0]?.settings).toEqual({ timeoutMs: 10_000, maxAttempts: 3 });
  });

  it('RELIA_AWS_REGION and RELIA_AWS_ENDPOINT override the file', async () => {
    const { registry, got } = recording();
    await dnsFromConfig(registry, resolved('environments:\n  dev:\n    aws: { region: us-east-1 }\n', { RELIA_AWS_REGION: 'ap-south-1', RELIA_AWS_ENDPOINT: 'http://127.0.0.1:4566' }));
    expect(got[0]?.settings).toMatchObject({ region: 'ap-south-1', endpoint: 'http://127.0.0.1:4566' });
  });

  it('kubernetes: the kubeconfig relative to the config file, ~/ under home; the given context wins over the config', async () => {
    const { registry, got } = recording();
    const r = resolved('environments:\n  prod:\n    kubernetes: { kubeconfig: kube/prod.yaml, context: prod-use1, timeout: 5s }\n');
    await clusterFromConfig(registry, r);
    await clusterFromConfig(registry, r, { context: 'prod-usw2' });
    await clusterFromConfig(registry, resolved('environments:\n  dev:\n    kubernetes: { kubeconfig: "~/.kube/dev" }\n'), { home: '/home/alice' });
    await clusterFromConfig(registry, resolved('environments:\n  dev: {}\n'));
    expect(got.map((g) => g.settings)).toEqual([
      { kubeconfig: '/etc/relia/kube/prod.yaml', context: 'prod-use1', timeoutMs: 5000 },
      { kubeconfig: '/etc/relia/kube/prod.yaml', context: 'prod-usw2', timeoutMs: 5000 },
      { kubeconfig: '/home/alice/.kube/dev', timeoutMs: 30_000 },
      { timeoutMs: 30_000 },
    ]);
  });

  it('a bad value is exit 2 naming the field', () => {
    expect(() => resolved('environments:\n  prod:\n    aws: { maxAttempts: 0 }\n')).toThrow(/environments\.prod\.aws\.maxAttempts/);
    expect(() => resolved('environments:\n  prod:\n    aws: { endpoints: { ec2: "http://x" } }\n')).toThrow(/environments\.prod\.aws\.endpoints/);
  });
});
