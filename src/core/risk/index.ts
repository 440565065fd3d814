/**
 * The pure core of `relia risk`: register and incident parsers, CRE scoring,
 * the FMEA view, traffic events, incident history, a register derived from
 * history, and a Monte Carlo of yearly bad minutes. docs/risk.md.
 */
export * from './model.js';
export * from './register.js';
export * from './score.js';
export * from './fmea.js';
export * from './event.js';
export * from './incidents.js';
export * from './history.js';
export * from './from-history.js';
export * from './simulate.js';
export * from './stats.js';
