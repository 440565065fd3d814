import { ReliaCommand } from '../../src/cli/base-command.js';
import { headroomFlags, renderHeadroom, runHeadroom } from '../../src/cli/capacity/headroom.js';
import type { HeadroomReport } from '../../src/core/capacity/headroom.js';

export interface CapacityHeadroomResult extends HeadroomReport {
  /** The --usage-query, or null when usage came from --usage. */
  query: string | null;
}

export default class CapacityHeadroom extends ReliaCommand<typeof CapacityHeadroom> {
  static override summary = 'Headroom % = (capacity − usage) / capacity, and the time to saturation from the recent trend.';
  static override description =
    'Usage from --usage or a Prometheus instant query (--usage-query); the trend is a least-squares line through the same query over --trend-window. Time to saturation = (capacity − usage) / slope; "never" (null in --json) when the trend is flat or falling. Exit 0, 1 below --min-headroom, 2 bad input, 3 metrics unavailable. docs/capacity-planning.md#headroom.';
  static override examples = [
    '<%= config.bin %> capacity headroom --usage 7500/s --capacity 10000/s',
    "<%= config.bin %> capacity headroom --usage-query 'sum(rate(http_requests_total{service=\"checkout\"}[5m]))' --capacity 400/s --trend-window 7d --min-headroom 20%",
  ];
  static override flags = { ...headroomFlags };

  async run(): Promise<CapacityHeadroomResult> {
    const result = await runHeadroom(this.context(), this.flags);
    if (result.belowMinimum) {
      this.checkFailed(`headroom ${result.headroomPercent.toFixed(1)}% is below --min-headroom ${this.flags['min-headroom']}`, ['add capacity, or shed load', 'relia capacity forecast shows when the next peak comes']);
    }
    if (!this.jsonEnabled()) this.log(renderHeadroom(result, this.style));
    return result;
  }
}
