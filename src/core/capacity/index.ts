/**
 * The pure core of `relia capacity`: Little's law, M/M/c (Erlang C) queueing,
 * USL fitting, fleet and bandwidth plans with headroom policies and their
 * autoscaler output, Holt-Winters forecasts, headroom and saturation trends.
 * Formulas and sources: docs/capacity.md and docs/capacity-planning.md.
 */
export * from './little.js';
export * from './erlang.js';
export * from './usl.js';
export * from './ascii-plot.js';
export * from './plan-schema.js';
export * from './plan.js';
export * from './emit.js';
export * from './holt-winters.js';
export * from './seasonality.js';
export * from './forecast.js';
export * from './trend.js';
export * from './headroom.js';
export * from './nelder-mead.js';
