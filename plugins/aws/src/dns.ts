/**
 * DnsPort over Route 53 (aws-sdk v3). Route 53 is a global service: one
 * client (us-east-1 signing). InvalidChangeBatch and InvalidInput answers to a
 * change resolve `rejected` with Route 53's reasons; the failover lock relies
 * on a CREATE of an existing record being rejected (checked here too, see
 * precheck).
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
  type RRType,
} from '@aws-sdk/client-route-53';
import type { ChangeOutcome, DnsCallOptions, DnsChange, DnsPort, HealthCheckStatus, HostedZone, RecordSet, RecordType } from '../../../src/ports/dns.js';
import type { AwsProviderSettings, PluginKit } from '../../../src/ports/providers.js';
import { awsCall, clientConfig, isNamed, send, signal, type AwsCall, type Recovery } from './common.js';

/** Route 53 counts a check healthy when more than 18 % of its checkers say so. */
const HEALTHY_SHARE = 0.18;
const ROUTE53_REGION = 'us-east-1';

export function fqdn(name: string): string {
  // Route 53 answers escape `*` and other specials as \NNN octal.
  const unescaped = name.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))).toLowerCase();
  return unescaped.endsWith('.') ? unescaped : `${unescaped}.`;
}

const bareId = (id: string) => id.replace(/^\/?hostedzone\//, '').replace(/^\/?change\//, '');

export class Route53Dns implements DnsPort {
  readonly kind = 'aws';
  private readonly client: Route53Client;

  constructor(
    private readonly settings: AwsProviderSettings,
    private readonly kit: PluginKit,
  ) {
    this.client = new Route53Client(clientConfig(settings, ROUTE53_REGION));
  }

  private run<T>(call: string, options: DnsCallOptions, fn: () => Promise<T>, recover?: (err: unknown) => Recovery<T>): Promise<T> {
    const where: AwsCall = { call: `route53:${call}`, region: ROUTE53_REGION, ...signal(options) };
    return awsCall(this.kit, where, this.settings.endpoint, fn, recover);
  }

  private noZone(zoneId: string, call: string): Error {
    return new this.kit.errors.InputError(`route53:${call}: no hosted zone ${zoneId}`, { field: 'zone', suggestions: ['check the zone id: aws route53 list-hosted-zones'] });
  }

  async findZone(nameOrId: string, options: DnsCallOptions = {}): Promise<HostedZone | null> {
    const id = bareId(nameOrId);
    if (/^[A-Z0-9]+$/.test(id)) {
      type SdkZone = { Id?: string; Name?: string; Config?: { PrivateZone?: boolean } };
      const byId = await this.run<SdkZone | undefined>('GetHostedZone', options, async () => (await this.client.send(new GetHostedZoneCommand({ Id: id }), send(options))).HostedZone, (err) =>
        isNamed(err, 'NoSuchHostedZone', 'InvalidInput') ? { value: undefined } : undefined,
      );
      if (byId) return zone(byId);
    }
    if (!nameOrId.includes('.')) return null;
    const wanted = fqdn(nameOrId);
    const out = await this.run('ListHostedZonesByName', options, () => this.client.send(new ListHostedZonesByNameCommand({ DNSName: wanted, MaxItems: 10 }), send(options)));
    const hit = (out.HostedZones ?? []).find((z) => fqdn(z.Name ?? '') === wanted);
    return hit ? zone(hit) : null;
  }

  async listRecords(zoneId: string, name: string, type?: RecordType, options: DnsCallOptions = {}): Promise<RecordSet[]> {
    const wanted = fqdn(name);
    const out: RecordSet[] = [];
    let start: { name?: string; type?: RRType; id?: string } = { name: wanted, ...(type ? { type: type as RRType } : {}) };
    for (;;) {
      const page = await this.run('ListResourceRecordSets', options, () =>
        this.client.send(
          new ListResourceRecordSetsCommand({ HostedZoneId: bareId(zoneId), StartRecordName: start.name, StartRecordType: start.type, StartRecordIdentifier: start.id, MaxItems: 300 }),
          send(options),
        ),
      (err) => (isNamed(err, 'NoSuchHostedZone') ? this.noZone(zoneId, 'ListResourceRecordSets') : undefined));
      const sets = page.ResourceRecordSets ?? [];
      for (const r of sets) if (fqdn(r.Name ?? '') === wanted && (type === undefined || r.Type === type)) out.push(recordSet(r));
      // Listing starts at the name and records come sorted: once past the name, stop.
      if (!page.IsTruncated || sets.some((r) => fqdn(r.Name ?? '') !== wanted)) break;
      start = { name: page.NextRecordName, type: page.NextRecordType, id: page.NextRecordIdentifier };
    }
    return out.sort((a, b) => `${a.type}|${a.setIdentifier ?? ''}`.localeCompare(`${b.type}|${b.setIdentifier ?? ''}`));
  }

  async change(zoneId: string, changes: DnsChange[], comment?: string, options: DnsCallOptions = {}): Promise<ChangeOutcome> {
    const bad = changes.find((c) => c.record.weight !== undefined && (!Number.isInteger(c.record.weight) || c.record.weight < 0 || c.record.weight > 255));
    if (bad) return { status: 'rejected', reason: `Invalid weight ${bad.record.weight} for ${fqdn(bad.record.name)} ${bad.record.setIdentifier ?? ''}: weights are 0..255`.trim() };
    const refused = await this.precheck(zoneId, changes, options);
    if (refused) return { status: 'rejected', reason: refused };
    const batch = { Comment: comment, Changes: changes.map((c) => ({ Action: c.action, ResourceRecordSet: toSdk(c.record) })) };
    return this.run<ChangeOutcome>('ChangeResourceRecordSets', options, async () => {
      const out = await this.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: bareId(zoneId), ChangeBatch: batch }), send(options));
      return { status: 'applied', changeId: bareId(out.ChangeInfo?.Id ?? '') };
    }, (err) => {
      if (isNamed(err, 'InvalidChangeBatch', 'InvalidInput')) return { value: { status: 'rejected', reason: rejection(err) } };
      if (isNamed(err, 'NoSuchHostedZone')) return this.noZone(zoneId, 'ChangeResourceRecordSets');
      return undefined;
    });
  }

  /**
   * Route 53 refuses, atomically, a batch with a CREATE of an existing record
   * or a DELETE that does not match a record exactly. The same rules are
   * checked here first, against the records as they are (one read per name and
   * type a CREATE or DELETE touches), applying the batch's changes in order.
   * That keeps the contract on emulators that do not enforce them (moto
   * refuses only an identical repeated CREATE and deletes by name); it never
   * replaces the server's own check, which still refuses a batch that races
   * with another writer.
   */
  private async precheck(zoneId: string, changes: DnsChange[], options: DnsCallOptions): Promise<string | undefined> {
    const key = (r: RecordSet) => `${fqdn(r.name)}|${r.type}|${r.setIdentifier ?? ''}`;
    const state = new Map<string, RecordSet | null>();
    for (const c of changes) {
      if (c.action === 'UPSERT') {
        state.set(key(c.record), c.record);
        continue;
      }
      if (!state.has(key(c.record))) {
        const existing = await this.listRecords(zoneId, c.record.name, c.record.type, options);
        state.set(key(c.record), existing.find((r) => key(r) === key(c.record)) ?? null);
      }
      const now = state.get(key(c.record)) ?? null;
      const what = `[name='${fqdn(c.record.name)}', type='${c.record.type}'${c.record.setIdentifier === undefined ? '' : `, set-identifier='${c.record.setIdentifier}'`}]`;
      if (c.action === 'CREATE') {
        if (now) return `Tried to create resource record set ${what} but it already exists`;
        state.set(key(c.record), c.record);
      } else {
        if (!now) return `Tried to delete resource record set ${what} but it was not found`;
        if (!sameRecord(now, c.record)) return `Tried to delete resource record set ${what} but the values provided do not match the current values`;
        state.set(key(c.record), null);
      }
    }
    return undefined;
  }

  async changeStatus(changeId: string, options: DnsCallOptions = {}): Promise<'PENDING' | 'INSYNC'> {
    const out = await this.run('GetChange', options, () => this.client.send(new GetChangeCommand({ Id: bareId(changeId) }), send(options)), (err) =>
      isNamed(err, 'NoSuchChange') ? new this.kit.errors.InputError(`route53:GetChange: no change ${changeId}`, { field: 'changeId', suggestions: ['use the change id a change returned'] }) : undefined,
    );
    return out.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
  }

  async healthCheckStatus(id: string, options: DnsCallOptions = {}): Promise<HealthCheckStatus | null> {
    return this.run<HealthCheckStatus | null>('GetHealthCheckStatus', options, async () => {
      const out = await this.client.send(new GetHealthCheckStatusCommand({ HealthCheckId: id }), send(options));
      const observations = out.HealthCheckObservations ?? [];
      const healthyCheckers = observations.filter((o) => /^Success/i.test(o.StatusReport?.Status ?? '')).length;
      return { id, healthy: observations.length > 0 && healthyCheckers > observations.length * HEALTHY_SHARE, checkers: observations.length, healthyCheckers };
    }, (err) => (isNamed(err, 'NoSuchHealthCheck', 'InvalidInput') ? { value: null } : undefined));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

export async function createRoute53Dns(settings: AwsProviderSettings, kit: PluginKit): Promise<DnsPort> {
  return new Route53Dns(settings, kit);
}

function zone(z: { Id?: string; Name?: string; Config?: { PrivateZone?: boolean } }): HostedZone {
  return { id: bareId(z.Id ?? ''), name: fqdn(z.Name ?? ''), private: z.Config?.PrivateZone === true };
}

/** InvalidChangeBatch carries a list of messages; InvalidInput one message. */
function rejection(err: unknown): string {
  const e = err as { message?: string; Messages?: string[]; messages?: string[] };
  const list = e.Messages ?? e.messages;
  return Array.isArray(list) && list.length > 0 ? list.join('; ') : String(e.message ?? 'rejected');
}

function recordSet(r: ResourceRecordSet): RecordSet {
  const out: RecordSet = { name: fqdn(r.Name ?? ''), type: String(r.Type ?? '') };
  if (r.SetIdentifier !== undefined) out.setIdentifier = r.SetIdentifier;
  if (r.Weight !== undefined) out.weight = r.Weight;
  if (r.TTL !== undefined) out.ttl = r.TTL;
  if (r.ResourceRecords) out.values = r.ResourceRecords.map((v) => v.Value ?? '');
  if (r.AliasTarget) out.aliasTarget = { hostedZoneId: r.AliasTarget.HostedZoneId ?? '', dnsName: fqdn(r.AliasTarget.DNSName ?? ''), evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth === true };
  if (r.HealthCheckId !== undefined) out.healthCheckId = r.HealthCheckId;
  return out;
}

function toSdk(r: RecordSet): ResourceRecordSet {
  const out: ResourceRecordSet = { Name: fqdn(r.name), Type: r.type as RRType };
  if (r.setIdentifier !== undefined) out.SetIdentifier = r.setIdentifier;
  if (r.weight !== undefined) out.Weight = r.weight;
  if (r.aliasTarget) out.AliasTarget = { HostedZoneId: r.aliasTarget.hostedZoneId, DNSName: r.aliasTarget.dnsName, EvaluateTargetHealth: r.aliasTarget.evaluateTargetHealth };
  else {
    if (r.ttl !== undefined) out.TTL = r.ttl;
    out.ResourceRecords = (r.values ?? []).map((Value) => ({ Value }));
  }
  if (r.healthCheckId !== undefined) out.HealthCheckId = r.healthCheckId;
  return out;
}

/** Same record for a DELETE: values, TTL, weight, alias and health check all equal. */
function sameRecord(a: RecordSet, b: RecordSet): boolean {
  const norm = (r: RecordSet) => JSON.stringify([r.weight ?? null, r.aliasTarget ? null : (r.ttl ?? null), r.values ?? [], r.aliasTarget ? [r.aliasTarget.hostedZoneId, fqdn(r.aliasTarget.dnsName), r.aliasTarget.evaluateTargetHealth] : null, r.healthCheckId ?? null]);
  return norm(a) === norm(b);
}
