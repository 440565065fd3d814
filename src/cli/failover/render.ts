/** Human output of `relia failover *`: the preview, the evaluation, a journal and an outcome. */
import type { Evaluation } from '../../core/failover/evaluate.js';
import { summarise, type Journal } from '../../core/failover/journal.js';
import type { Preview } from '../../core/failover/preview.js';
import { renderPairs, renderTable, wrapText, type Style } from '../style.js';

/** A check line (`  ✓ name: detail`), word-wrapped to the layout width under its text. */
const checkLine = (ok: boolean, text: string, style: Style): string =>
  wrapText(`${ok ? style.green('✓') : style.red('✗')} ${text}`, style.layout.width - 2, 2)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

const weights = (w: Record<string, number>): string =>
  Object.entries(w)
    .map(([r, v]) => `${r}=${v}`)
    .join('  ');

export function renderPreview(p: Preview, style: Style): string {
  const out = [style.bold(`failover ${p.plan}: ${p.from} → ${p.to} (${p.mode})`), ''];
  out.push(renderPairs([
    ['record', `${p.record} ${p.type} in ${p.zone.name} (${p.zone.id})`],
    ['weights now', weights(p.weights)],
    ...(p.freeze ? [['freeze', style.yellow(`frozen by ${p.freeze.by}: ${p.freeze.reason}`)] as [string, string]] : []),
    ...(p.lock ? [['lock', p.lock.description] as [string, string]] : []),
  ], style));
  if (p.health.length > 0) {
    out.push('', style.bold('health'));
    out.push(renderTable([
      { header: 'REGION', value: (h) => h.region },
      { header: 'HEALTH CHECK', value: (h) => (h.healthCheck ? (h.healthCheck.healthy ? 'healthy' : style.red('unhealthy')) : '–') },
      { header: 'ALARMS', value: (h) => h.alarms.map((a) => `${a.name} ${a.state === 'OK' ? a.state : style.red(a.state)}`).join(', ') || '–' },
      { header: 'SLOS', value: (h) => h.slos.map((s) => `${s.id} ${s.ok ? 'ok' : style.red('burning')}`).join(', ') || '–' },
    ], p.health, style));
  }
  if (p.capacity.length > 0) {
    out.push('', style.bold(`target capacity (${p.to})`));
    out.push(renderTable([
      { header: 'KIND', value: (c) => c.target.ref.kind },
      { header: 'NAME', value: (c) => c.target.ref.name },
      { header: 'DESIRED', value: (c) => c.target.desired, align: 'right' },
      { header: 'READY', value: (c) => c.target.ready, align: 'right' },
      { header: 'NEEDS', value: (c) => c.need, align: 'right' },
      { header: 'SET TO', value: (c) => (c.desired > c.target.desired ? String(c.desired) : 'unchanged'), align: 'right' },
      { header: 'BASIS', value: (c) => c.basis },
    ], p.capacity, style));
  }
  if (p.steps.length > 0) {
    out.push('', style.bold('steps (one ChangeBatch each)'));
    out.push(renderTable([
      { header: 'STEP', value: (s) => `${s.index + 1} (${s.percent}%)` },
      { header: 'WEIGHTS', value: (s) => weights(s.weights) },
      { header: 'MOVES', value: (s) => `${s.movedPercent}%`, align: 'right' },
      { header: 'SAFETY', value: (s) => (s.violations.length === 0 ? style.green('ok') : style.red(s.violations.join('; '))) },
    ], p.steps, style));
  }
  out.push('', style.bold('pre-checks'));
  for (const c of p.prechecks) out.push(checkLine(c.ok, `${c.name}: ${c.detail}`, style));
  return out.join('\n');
}

export function renderEvaluation(e: Evaluation, style: Style): string {
  const out = [style.bold(`failover plan evaluation: ${e.plan}`), ''];
  for (const c of e.checks) out.push(checkLine(c.ok, `${c.name}: ${c.detail}`, style));
  out.push('', e.ok ? style.green('no problems') : style.red(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'}`));
  return out.join('\n');
}

export function renderJournal(j: Journal, path: string, live: Record<string, number> | null, style: Style): string {
  const regionWeights = (w: Record<string, number>) => Object.fromEntries(Object.entries(j.regions).map(([r, id]) => [r, w[id] ?? 0]));
  const out = [style.bold(summarise(j)), ''];
  out.push(renderPairs([
    ['operation', `${j.id} (${j.kind}${j.rollsBack ? ` of ${j.rollsBack}` : ''}, ${j.mode}) by ${j.owner}`],
    ['record', `${j.dns.record} ${j.dns.type} (zone ${j.dns.zoneId})`],
    ['started', `${j.startedAt}, updated ${j.updatedAt}`],
    ['weights before', weights(regionWeights(j.weightsBefore))],
    ['weights now', live ? weights(live) : style.yellow('unknown (Route 53 not reachable); journal says ' + weights(regionWeights(j.position < 0 ? j.weightsBefore : (j.steps[j.position]?.weights ?? {}))))],
    ['journal', path],
  ], style));
  out.push('', renderTable([
    { header: 'STEP', value: (s: Journal['steps'][number] & { i: number }) => `${s.i + 1}${s.i === j.position ? ' ◀' : ''}` },
    { header: 'SHARE', value: (s) => `${s.percent}%` },
    { header: 'WEIGHTS', value: (s) => weights(regionWeights(s.weights)) },
    { header: 'STATE', value: (s) => (s.state === 'reverted' ? style.red(s.state) : s.state === 'baked' ? style.green(s.state) : s.state) },
  ], j.steps.map((s, i) => ({ ...s, i })), style));
  if (j.kind === 'rollback') {
    // A rollback carries the apply's scaling record; what it did is the scale-back events.
    const back = j.events.filter((e) => e.type === 'scale').map((e) => e.message.replace(': scaled back ', ' '));
    if (back.length > 0) out.push('', wrapText(`scaled back: ${back.join(', ')}`, style.layout.width));
  } else if (j.scaling.length > 0) out.push('', wrapText('scaled first: ' + j.scaling.map((s) => `${s.name} ${s.before} → ${s.desired} (ready ${s.ready}/${s.need})`).join(', '), style.layout.width));
  const bad = j.guard.filter((g) => !g.ok).slice(-3);
  if (bad.length > 0) out.push('', style.bold('guard breaches'), ...bad.map((g) => `  ${g.at} step ${g.step + 1}: ${g.problems.join('; ')}`));
  return out.join('\n');
}
