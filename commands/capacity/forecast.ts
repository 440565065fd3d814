import { ReliaCommand } from '../../src/cli/base-command.js';
import { forecastFlags, renderForecast, runForecast, type ForecastSource } from '../../src/cli/capacity/forecast.js';
import type { ForecastReport } from '../../src/core/capacity/forecast.js';

export interface CapacityForecastResult extends ForecastReport {
  source: ForecastSource;
}

export default class CapacityForecast extends ReliaCommand<typeof CapacityForecast> {
  static override summary = 'Forecast load with seasonal Holt-Winters: prediction intervals, the next peak, a backtest MAPE, and scheduled scaling ahead of the peak.';
  static override description =
    'History from a CSV (timestamp,value) or a Prometheus range query. The daily or weekly season is detected from autocorrelation (or --season); α, β, γ minimise the one-step squared error. The last season is held out to report the backtest MAPE. With --capacity-per-instance it schedules scaling actions --lead-time before each rise. Exit 0, 2 bad input, 3 metrics unavailable. Method: docs/capacity-planning.md#forecast.';
  static override examples = [
    "<%= config.bin %> capacity forecast --query 'sum(rate(http_requests_total{service=\"checkout\"}[5m]))' --range 7d --at 2026-11-01T00:00:00Z --step 5m --horizon 1d",
    '<%= config.bin %> capacity forecast --input history.csv --season 1d --horizon 2d --capacity-per-instance 50/s --lead-time 15m --target-utilization 70%',
    'cat history.csv | <%= config.bin %> capacity forecast --input - --json',
  ];
  static override flags = { ...forecastFlags };

  async run(): Promise<CapacityForecastResult> {
    const { report, source, history } = await runForecast(this.context(), this.flags);
    if (!this.jsonEnabled()) this.log(renderForecast(report, history, this.style));
    return { ...report, source };
  }
}
