/**
 * Read-only views of the live state a plan refers to: the hosted zone and
 * the weighted record set (with the bad-input rules: not weighted, a region's
 * set identifier missing), a region's health (health check, alarms, SLOs),
 * and the freeze and lock markers. Absence of something the plan names is an
 * InputError (exit 2) naming the plan field; a control plane that does not
 * answer is the adapter's DependencyError (exit 3). Pure: I/O through ports.
 */
import type { RecordSet } from '../../ports/dns.js';
import { InputError } from '../errors.js';
import { freezeName, lockName, parseFreeze, parseLock, type FreezeInfo, type LockInfo } from './lock.js';
import type { FailoverPlan, RegionPlan } from './plan-schema.js';
import { need, type FailoverPorts, type SloVerdict } from './ports.js';
import { weightsOf, type Weights } from './weights.js';

export interface Target {
  zoneId: string;
  zoneName: string;
  records: RecordSet[];
  weights: Weights;
  /** Set identifier → region. */
  regionOf: Record<string, string>;
  /** Region → set identifier. */
  idOf: Record<string, string>;
}

/** Zone, record set and the regions' weighted records. */
export async function resolveTarget(plan: FailoverPlan, ports: Pick<FailoverPorts, 'dns' | 'signal'>): Promise<Target> {
  const opts = ports.signal ? { signal: ports.signal } : {};
  const zone = await ports.dns.findZone(plan.zone, opts);
  if (!zone) throw new InputError(`${plan.file}: dns.zone: no hosted zone ${JSON.stringify(plan.zone)}`, { field: 'dns.zone', file: plan.file, suggestions: ['check the zone name (with the trailing dot) or its id: aws route53 list-hosted-zones'] });
  const records = await readRecords(ports, zone.id, plan.record, plan.type);
  if (records.length === 0) {
    throw new InputError(`${plan.file}: dns.record: no ${plan.type} record named ${plan.record} in zone ${zone.name}`, { field: 'dns.record', file: plan.file, suggestions: ['check dns.record and dns.type against the zone’s records'] });
  }
  const notWeighted = records.filter((r) => r.weight === undefined || r.setIdentifier === undefined);
  if (notWeighted.length > 0) {
    throw new InputError(`${plan.file}: dns.record: ${plan.record} ${plan.type} is not a weighted record set (${notWeighted.length} of ${records.length} records carry no weight)`, {
      field: 'dns.record',
      file: plan.file,
      suggestions: ['failover shifts weights: make every record of the set a weighted record (SetIdentifier + Weight)'],
    });
  }
  const regionOf: Record<string, string> = {};
  const idOf: Record<string, string> = {};
  for (const region of Object.values(plan.regions)) {
    if (!records.some((r) => r.setIdentifier === region.setIdentifier)) {
      throw new InputError(`${plan.file}: regions.${region.name}.setIdentifier: ${plan.record} has no weighted record ${JSON.stringify(region.setIdentifier)}`, {
        field: `regions.${region.name}.setIdentifier`,
        file: plan.file,
        suggestions: [`use one of: ${records.map((r) => r.setIdentifier).join(', ')}`],
      });
    }
    regionOf[region.setIdentifier] = region.name;
    idOf[region.name] = region.setIdentifier;
  }
  return { zoneId: zone.id, zoneName: zone.name, records, weights: weightsOf(records), regionOf, idOf };
}

export async function readRecords(ports: Pick<FailoverPorts, 'dns' | 'signal'>, zoneId: string, name: string, type: string): Promise<RecordSet[]> {
  const records = await ports.dns.listRecords(zoneId, name, type, ports.signal ? { signal: ports.signal } : {});
  return records.filter((r) => r.name.toLowerCase() === name && r.type === type);
}

export interface RegionHealth {
  region: string;
  healthy: boolean;
  /** null: no health check in the plan. */
  healthCheck: { id: string; healthy: boolean; checkers: number; healthyCheckers: number } | null;
  alarms: Array<{ name: string; state: string }>;
  slos: SloVerdict[];
  problems: string[];
}

/**
 * Health check, alarms and (with `slos`) the SLO guard of one region, as of
 * `at`. The three reads run at once (a guard sample takes as long as the
 * slowest, not their sum); when several fail, the error reported is the
 * first in that order, so the message does not depend on timing.
 */
export async function regionHealth(plan: FailoverPlan, region: RegionPlan, ports: FailoverPorts, at: number, options: { slos: boolean }): Promise<RegionHealth> {
  const opts = ports.signal ? { signal: ports.signal } : {};
  const readCheck = async (): Promise<RegionHealth['healthCheck']> => {
    if (region.healthCheck === undefined) return null;
    const hc = await ports.dns.healthCheckStatus(region.healthCheck, opts);
    if (!hc) throw new InputError(`${plan.file}: regions.${region.name}.healthCheck: no health check ${region.healthCheck}`, { field: `regions.${region.name}.healthCheck`, file: plan.file, suggestions: ['check the id: aws route53 list-health-checks'] });
    return { id: hc.id, healthy: hc.healthy, checkers: hc.checkers, healthyCheckers: hc.healthyCheckers };
  };
  const readAlarms = async (): Promise<Array<{ name: string; state: string; reason?: string }>> => {
    if (region.alarms.length === 0) return [];
    const port = need(ports.alarms, 'CloudWatch alarms', `regions.${region.name}.alarms`);
    const found = await port.describeAlarms(region.alarmRegion, region.alarms, opts);
    return region.alarms.map((name, i) => {
      const a = found.find((x) => x.name === name);
      if (!a) throw new InputError(`${plan.file}: regions.${region.name}.alarms[${i}]: no alarm ${JSON.stringify(name)} in ${region.alarmRegion}`, { field: `regions.${region.name}.alarms[${i}]`, file: plan.file, suggestions: [`check the name: aws cloudwatch describe-alarms --region ${region.alarmRegion}`] });
      return { name, state: a.state, ...(a.reason ? { reason: a.reason } : {}) };
    });
  };
  const readSlos = async (): Promise<SloVerdict[]> => (options.slos && region.slos.length > 0 && ports.sloGuard ? ports.sloGuard(region.name, at, ports.signal) : []);
  const [hcOut, alarmsOut, slosOut] = await Promise.allSettled([readCheck(), readAlarms(), readSlos()]);
  for (const out of [hcOut, alarmsOut, slosOut]) if (out.status === 'rejected') throw out.reason;
  const healthCheck = (hcOut as PromiseFulfilledResult<RegionHealth['healthCheck']>).value;
  const found = (alarmsOut as PromiseFulfilledResult<Array<{ name: string; state: string; reason?: string }>>).value;
  const slos = (slosOut as PromiseFulfilledResult<SloVerdict[]>).value;
  const problems: string[] = [];
  if (healthCheck && !healthCheck.healthy) problems.push(`health check ${healthCheck.id} is unhealthy (${healthCheck.healthyCheckers}/${healthCheck.checkers} checkers healthy)`);
  for (const a of found) if (a.state !== 'OK') problems.push(`alarm ${a.name} is ${a.state}${a.reason ? ` (${a.reason})` : ''}`);
  for (const v of slos) if (!v.ok) problems.push(`SLO ${v.id}: ${v.reasons.join('; ') || 'not within budget'}`);
  return { region: region.name, healthy: problems.length === 0, healthCheck, alarms: found.map((a) => ({ name: a.name, state: a.state })), slos, problems };
}

/** Health check and alarms only: is the region fit to carry traffic (for minHealthyRegions). */
export async function healthMap(plan: FailoverPlan, ports: FailoverPorts, at: number, skip: readonly string[] = []): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  for (const region of Object.values(plan.regions)) {
    // Stryker disable next-line ObjectLiteral: equivalent, {} leaves slos undefined, read as false
    out[region.name] = skip.includes(region.name) ? false : (await regionHealth(plan, region, ports, at, { slos: false })).healthy;
  }
  return out;
}

export async function readFreeze(ports: Pick<FailoverPorts, 'dns' | 'signal'>, zoneId: string, record: string): Promise<{ record: RecordSet; info: FreezeInfo } | null> {
  const found = await readRecords(ports, zoneId, freezeName(record), 'TXT');
  const r = found[0];
  return r ? { record: r, info: parseFreeze(r) } : null;
}

export async function readLock(ports: Pick<FailoverPorts, 'dns' | 'signal'>, zoneId: string, record: string): Promise<{ record: RecordSet; info: LockInfo | null } | null> {
  const found = await readRecords(ports, zoneId, lockName(record), 'TXT');
  const r = found[0];
  return r ? { record: r, info: parseLock(r) } : null;
}
