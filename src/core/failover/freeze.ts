/**
 * `relia failover freeze|unfreeze`: a TXT marker in the record's zone that
 * blocks `apply` from every machine (like the chaos halt), until removed.
 * Freezing twice keeps the first freeze; unfreezing deletes exactly the
 * record read. Pure: I/O through the DNS port.
 */
import { CheckFailedError } from '../errors.js';
import { readFreeze, resolveTarget } from './inspect.js';
import { freezeRecord, type FreezeInfo } from './lock.js';
import type { FailoverPlan } from './plan-schema.js';
import type { FailoverPorts } from './ports.js';

export interface FreezeOutcome {
  record: string;
  frozen: boolean;
  /** False when it already was in the wanted state. */
  changed: boolean;
  freeze: FreezeInfo | null;
}

export async function freeze(plan: FailoverPlan, ports: FailoverPorts, info: FreezeInfo): Promise<FreezeOutcome> {
  const t = await resolveTarget(plan, ports);
  const existing = await readFreeze(ports, t.zoneId, plan.record);
  if (existing) return { record: plan.record, frozen: true, changed: false, freeze: existing.info };
  const out = await ports.dns.change(t.zoneId, [{ action: 'CREATE', record: freezeRecord(plan.record, info) }], `relia failover freeze by ${info.by}`);
  if (out.status === 'rejected') {
    const now = await readFreeze(ports, t.zoneId, plan.record);
    if (now) return { record: plan.record, frozen: true, changed: false, freeze: now.info };
    throw new CheckFailedError(`Route 53 rejected the freeze: ${out.reason}`, { suggestions: ['relia failover evaluate --plan FILE'] });
  }
  return { record: plan.record, frozen: true, changed: true, freeze: info };
}

export async function unfreeze(plan: FailoverPlan, ports: FailoverPorts): Promise<FreezeOutcome> {
  const t = await resolveTarget(plan, ports);
  const existing = await readFreeze(ports, t.zoneId, plan.record);
  if (!existing) return { record: plan.record, frozen: false, changed: false, freeze: null };
  const out = await ports.dns.change(t.zoneId, [{ action: 'DELETE', record: existing.record }], 'relia failover unfreeze');
  if (out.status === 'rejected') throw new CheckFailedError(`Route 53 rejected the unfreeze (the freeze changed meanwhile?): ${out.reason}`, { suggestions: ['run it again'] });
  return { record: plan.record, frozen: false, changed: true, freeze: existing.info };
}
