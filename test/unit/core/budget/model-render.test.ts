/**
 * Pins renderQuery (src/core/budget/model.ts): a query template's `{{.window}}`
 * placeholder, as the module doc defines it, is replaced by the window label
 * everywhere it occurs, and nothing else in the template changes.
 */
import { describe, expect, it } from 'vitest';
import { renderQuery } from '../../../../src/core/budget/model.js';

describe('renderQuery', () => {
  it('fills every {{.window}} with the label', () => {
    expect(renderQuery('sum(rate(bad[{{.window}}])) / sum(rate(total[{{.window}}]))', '5m')).toBe('sum(rate(bad[5m])) / sum(rate(total[5m]))');
  });

  it('leaves other braces and a template without the placeholder as they are', () => {
    expect(renderQuery('sum by (le) (rate(x{job="{{.job}}"}[1h]))', '30d')).toBe('sum by (le) (rate(x{job="{{.job}}"}[1h]))');
    expect(renderQuery('{{.window}}', '')).toBe('');
  });
});
