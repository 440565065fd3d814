/**
 * Human output of `relia capacity plan`: the assumptions, the global demand,
 * one row per region and tier (instances, binding policy) with the total, and
 * the instances every policy would need on its own.
 */
import { grouped, type PlanReport, type RegionTierPlan } from '../../core/capacity/plan.js';
import { formatBandwidth } from '../../core/units.js';
import { renderPairs, renderTable, type Style } from '../style.js';

const gbps = (bps: number | null): string => (bps === null ? '–' : `${grouped(bps / 1e9)} Gbps`);
const rate = (r: number | null): string => (r === null ? '–' : `${grouped(r)}/s`);

interface Row {
  region: string;
  share: string;
  zones: string;
  bandwidth: string;
  edge: string;
  origin: string;
  tier: string;
  instances: string;
  perZone: string;
  binding: string;
}

export function renderPlan(report: PlanReport, style: Style): string {
  const out: string[] = [style.bold(`capacity plan ${report.name}`), '', style.bold('assumptions')];
  for (const a of report.assumptions) out.push(`  - ${a}`);
  const d = report.demand;
  const pairs: Array<[string, string]> = [];
  if (d.sessions !== null) pairs.push(['peak sessions', grouped(d.sessions)]);
  if (d.requestsPerSecond !== null) pairs.push(['peak requests', `${rate(d.requestsPerSecond)} (edge ${rate(d.edgeRequestsPerSecond)}, origin ${rate(d.originRequestsPerSecond)})`]);
  if (d.totalBps !== null) pairs.push(['peak bandwidth', `${gbps(d.totalBps)} (${formatBandwidth(d.totalBps)})`], ['edge bandwidth', gbps(d.edgeBps)], ['origin bandwidth', gbps(d.originBps)]);
  out.push('', style.bold('global peak demand'), renderPairs(pairs, style));

  const rows: Row[] = [];
  for (const r of report.regions) {
    r.tiers.forEach((t: RegionTierPlan, i) => {
      rows.push({
        region: i === 0 ? r.name : '',
        share: i === 0 ? `${Number((r.share * 100).toPrecision(6))}%` : '',
        zones: i === 0 ? String(r.zones) : '',
        bandwidth: i === 0 ? gbps(r.demand.totalBps) : '',
        edge: i === 0 ? gbps(r.demand.edgeBps) : '',
        origin: i === 0 ? gbps(r.demand.originBps) : '',
        tier: t.tier,
        instances: grouped(t.instances),
        perZone: grouped(t.perZone),
        binding: t.binding,
      });
    });
  }
  for (const t of report.tiers) {
    rows.push({ region: t === report.tiers[0] ? 'TOTAL' : '', share: '', zones: '', bandwidth: t === report.tiers[0] ? gbps(d.totalBps) : '', edge: t === report.tiers[0] ? gbps(d.edgeBps) : '', origin: t === report.tiers[0] ? gbps(d.originBps) : '', tier: t.tier, instances: grouped(t.instances), perZone: '', binding: t.binding.join(', ') });
  }
  out.push(
    '',
    renderTable<Row>(
      [
        { header: 'REGION', value: (r) => (r.region === 'TOTAL' ? style.bold(r.region) : r.region) },
        { header: 'SHARE', value: (r) => r.share, align: 'right' },
        { header: 'AZS', value: (r) => r.zones, align: 'right' },
        { header: 'PEAK BW', value: (r) => r.bandwidth, align: 'right' },
        { header: 'EDGE BW', value: (r) => r.edge, align: 'right' },
        { header: 'ORIGIN BW', value: (r) => r.origin, align: 'right' },
        { header: 'TIER', value: (r) => r.tier },
        { header: 'INSTANCES', value: (r) => r.instances, align: 'right' },
        { header: 'PER AZ', value: (r) => r.perZone, align: 'right' },
        { header: 'BINDING POLICY', value: (r) => r.binding },
      ],
      rows,
      style,
    ),
  );

  const policies = [...new Set(report.regions.flatMap((r) => r.tiers.flatMap((t) => t.scenarios.map((s) => s.policy))))];
  if (policies.length > 1) {
    const scenarioRows = report.regions.flatMap((r) => r.tiers.map((t) => ({ region: r.name, tier: t.tier, t })));
    out.push(
      '',
      style.bold('instances each policy needs on its own'),
      renderTable(
        [
          { header: 'REGION', value: (x: (typeof scenarioRows)[number]) => x.region },
          { header: 'TIER', value: (x) => x.tier },
          ...policies.map((p) => ({
            header: p.toUpperCase(),
            align: 'right' as const,
            value: (x: (typeof scenarioRows)[number]) => {
              const s = x.t.scenarios.find((sc) => sc.policy === p);
              if (!s) return '–';
              return s.policy === x.t.binding ? style.bold(`${grouped(s.instances)}*`) : grouped(s.instances);
            },
          })),
        ],
        scenarioRows,
        style,
      ),
      style.dim('* binding. Each failure or surge is sized on its own, one at a time.'),
    );
  }
  return out.join('\n');
}
