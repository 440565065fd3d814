/**
 * In-memory DnsPort (Route 53's model) for core tests. It passes the same
 * contract suite as the Route 53 adapter on moto
 * (test/contract/dns.contract.test.ts): change batches are atomic and apply
 * in order against the state so far; a CREATE of an existing record, a DELETE
 * that does not match exactly, a weight outside 0..255 or a name outside the
 * zone, or an action other than CREATE, UPSERT and DELETE, rejects the whole batch
 * with Route 53's wording. Health checks are
 * seeded and driven with setHealth.
 */
import { DependencyError, InputError } from '../../src/core/errors.js';
import type { ChangeOutcome, DnsCallOptions, DnsChange, DnsPort, HealthCheckStatus, HostedZone, RecordSet, RecordType } from '../../src/ports/dns.js';

export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

const bareZoneId = (id: string) => id.replace(/^\/?hostedzone\//, '');
const recordKey = (r: Pick<RecordSet, 'name' | 'type' | 'setIdentifier'>) => `${fqdn(r.name)}|${r.type}|${r.setIdentifier ?? ''}`;

function cloneRecord(r: RecordSet): RecordSet {
  const out: RecordSet = { ...r, name: fqdn(r.name) };
  if (r.values) out.values = [...r.values];
  if (r.aliasTarget) out.aliasTarget = { ...r.aliasTarget };
  return out;
}

function sameRecord(a: RecordSet, b: RecordSet): boolean {
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}

function normalised(r: RecordSet) {
  return {
    name: fqdn(r.name),
    type: r.type,
    setIdentifier: r.setIdentifier ?? null,
    weight: r.weight ?? null,
    ttl: r.aliasTarget ? null : (r.ttl ?? null),
    values: r.values ?? [],
    alias: r.aliasTarget ? { ...r.aliasTarget, dnsName: fqdn(r.aliasTarget.dnsName) } : null,
    healthCheckId: r.healthCheckId ?? null,
  };
}

const describe = (r: RecordSet) => `[name='${fqdn(r.name)}', type='${r.type}'${r.setIdentifier === undefined ? '' : `, set-identifier='${r.setIdentifier}'`}]`;

interface Zone extends HostedZone {
  records: Map<string, RecordSet>;
}

export class MemoryDns implements DnsPort {
  readonly kind = 'memory-dns';
  readonly calls: string[] = [];
  private readonly zones = new Map<string, Zone>();
  private readonly health = new Map<string, HealthCheckStatus>();
  private readonly changes = new Map<string, { polls: number }>();
  private counter = 0;
  /** Set to make every call fail as an unreachable endpoint would. */
  unreachable = false;

  /** `pendingPolls`: how many changeStatus polls answer PENDING before INSYNC (0: INSYNC at once, as on moto). */
  constructor(private readonly options: { pendingPolls?: number } = {}) {}

  // ---- seeding -------------------------------------------------------------

  addZone(name: string, options: { private?: boolean; id?: string } = {}): HostedZone {
    const id = options.id ?? `Z${(++this.counter).toString().padStart(12, '0')}`;
    this.zones.set(id, { id, name: fqdn(name), private: options.private ?? false, records: new Map() });
    return { id, name: fqdn(name), private: options.private ?? false };
  }

  /** Puts records without the batch rules (seeding only). */
  addRecords(zoneId: string, ...records: RecordSet[]): void {
    const zone = this.zones.get(bareZoneId(zoneId));
    if (!zone) throw new Error(`no zone ${zoneId}`);
    for (const r of records) zone.records.set(recordKey(r), cloneRecord(r));
  }

  addHealthCheck(options: { id?: string; healthy?: boolean; checkers?: number } = {}): string {
    const id = options.id ?? `hc-${++this.counter}`;
    const checkers = options.checkers ?? 16;
    const healthy = options.healthy ?? true;
    this.health.set(id, { id, healthy, checkers, healthyCheckers: healthy ? checkers : 0 });
    return id;
  }

  setHealth(id: string, healthy: boolean): void {
    const h = this.health.get(id);
    if (!h) throw new Error(`no health check ${id}`);
    h.healthy = healthy;
    h.healthyCheckers = healthy ? h.checkers : 0;
  }

  /** Every record of a zone, for assertions. */
  records(zoneId: string): RecordSet[] {
    return [...(this.zones.get(bareZoneId(zoneId))?.records.values() ?? [])].map(cloneRecord);
  }

  // ---- the port ------------------------------------------------------------

  private enter(call: string, options?: DnsCallOptions): void {
    options?.signal?.throwIfAborted();
    this.calls.push(call);
    if (this.unreachable) throw new DependencyError('aws', `route53:${call} failed: connect ECONNREFUSED`, { suggestions: ['check the Route 53 endpoint and network, then retry'] });
  }

  private zone(zoneId: string, call: string): Zone {
    const zone = this.zones.get(bareZoneId(zoneId));
    if (!zone) throw new InputError(`route53:${call}: no hosted zone ${zoneId}`, { field: 'zone', suggestions: ['check the zone id: aws route53 list-hosted-zones'] });
    return zone;
  }

  async findZone(nameOrId: string, options?: DnsCallOptions): Promise<HostedZone | null> {
    this.enter('findZone', options);
    const byId = this.zones.get(bareZoneId(nameOrId));
    const zone = byId ?? [...this.zones.values()].find((z) => z.name === fqdn(nameOrId));
    return zone ? { id: zone.id, name: zone.name, private: zone.private } : null;
  }

  async listRecords(zoneId: string, name: string, type?: RecordType, options?: DnsCallOptions): Promise<RecordSet[]> {
    this.enter('ListResourceRecordSets', options);
    const zone = this.zone(zoneId, 'ListResourceRecordSets');
    return [...zone.records.values()]
      .filter((r) => fqdn(r.name) === fqdn(name) && (type === undefined || r.type === type))
      .map(cloneRecord)
      .sort((a, b) => `${a.type}|${a.setIdentifier ?? ''}`.localeCompare(`${b.type}|${b.setIdentifier ?? ''}`));
  }

  async change(zoneId: string, changes: DnsChange[], _comment?: string, options?: DnsCallOptions): Promise<ChangeOutcome> {
    this.enter('ChangeResourceRecordSets', options);
    const zone = this.zone(zoneId, 'ChangeResourceRecordSets');
    const next = new Map(zone.records);
    const problems: string[] = [];
    for (const c of changes) {
      const problem = applyChange(zone.name, next, c);
      if (problem) problems.push(problem);
    }
    if (changes.length === 0) problems.push('ChangeBatch must contain at least one change');
    if (problems.length > 0) return { status: 'rejected', reason: `[${problems.join(', ')}]` };
    zone.records.clear();
    for (const [k, r] of next) zone.records.set(k, r);
    const changeId = `C${(++this.counter).toString().padStart(12, '0')}`;
    this.changes.set(changeId, { polls: 0 });
    return { status: 'applied', changeId };
  }

  async changeStatus(changeId: string, options?: DnsCallOptions): Promise<'PENDING' | 'INSYNC'> {
    this.enter('GetChange', options);
    const c = this.changes.get(changeId.replace(/^\/?change\//, ''));
    if (!c) throw new InputError(`route53:GetChange: no change ${changeId}`, { field: 'changeId', suggestions: ['use the change id a change returned'] });
    c.polls++;
    return c.polls > (this.options.pendingPolls ?? 0) ? 'INSYNC' : 'PENDING';
  }

  async healthCheckStatus(id: string, options?: DnsCallOptions): Promise<HealthCheckStatus | null> {
    this.enter('GetHealthCheckStatus', options);
    const h = this.health.get(id);
    return h ? { ...h } : null;
  }

  async close(): Promise<void> {}
}

/** Applies one change to `records`; returns Route 53's complaint, or undefined. */
function applyChange(zoneName: string, records: Map<string, RecordSet>, c: DnsChange): string | undefined {
  const r = c.record;
  const name = fqdn(r.name);
  if (name !== zoneName && !name.endsWith(`.${zoneName}`)) return `RRSet with DNS name ${name} is not permitted in zone ${zoneName}`;
  if (r.weight !== undefined && (!Number.isInteger(r.weight) || r.weight < 0 || r.weight > 255)) return `Invalid weight ${r.weight} for ${describe(r)}: weights are 0..255`;
  if (r.weight !== undefined && r.setIdentifier === undefined) return `Invalid request: a weighted record ${describe(r)} needs a SetIdentifier`;
  const k = recordKey(r);
  const existing = records.get(k);
  if (c.action === 'CREATE') {
    if (existing) return `Tried to create resource record set ${describe(r)} but it already exists`;
    records.set(k, cloneRecord(r));
  } else if (c.action === 'UPSERT') {
    records.set(k, cloneRecord(r));
  } else if (c.action !== 'DELETE') {
    return `Invalid request: Action ${String(c.action)} is not one of CREATE, DELETE, UPSERT`;
  } else {
    if (!existing) return `Tried to delete resource record set ${describe(r)} but it was not found`;
    if (!sameRecord(existing, r)) return `Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`;
    records.delete(k);
  }
  return undefined;
}
