import type { SloDefinition } from '../../../../src/core/budget/index.js';

/** Bad events of `service`: its 500s (PromQL over the SLO's window). */
export const badQuery = (service: string): string => `sum(rate(req_total{service="${service}",code="500"}[{{.window}}]))`;
/** All events of `service`. */
export const totalQuery = (service: string): string => `sum(rate(req_total{service="${service}"}[{{.window}}]))`;

/**
 * The availability SLO the budget engine and failover guard tests share:
 * 99.9 % of `service`'s requests not 500, over a rolling 30 days, budgeted by
 * occurrences, as a native relia SLO file `<service>.yaml` would give it.
 */
export function availabilitySlo(service: string, overrides: Partial<SloDefinition> = {}): SloDefinition {
  return {
    id: `${service}/availability`,
    service,
    name: 'availability',
    objective: 0.999,
    window: { type: 'rolling', seconds: 30 * 86_400, label: '30d' },
    budgeting: { method: 'occurrences' },
    sli: { type: 'ratio', bad: badQuery(service), total: totalQuery(service) },
    labels: {},
    source: { file: `${service}.yaml`, path: '', format: 'relia' },
    ...overrides,
  };
}
