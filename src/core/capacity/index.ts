/**
 * The pure core of `relia capacity little | queue | usl`: Little's law, M/M/c
 * (Erlang C) queueing and USL fitting. Formulas and sources: docs/capacity.md.
 *
 * The modules of `capacity plan`, `capacity forecast` and `capacity headroom`
 * (plan, forecast, headroom and their helpers) are NOT re-exported here: import
 * them from their own files (e.g. `./plan.js`, `./forecast.js`, `./headroom.js`);
 * docs/capacity-planning.md describes them.
 */
export * from './little.js';
export * from './erlang.js';
export * from './usl.js';
