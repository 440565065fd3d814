/**
 * An origin URL template (`http://origin/items/{key}`) may put placeholders
 * only in the path, query or fragment: a key in the scheme or host would let
 * key data choose which server relia sends requests (and credentials) to.
 * Pure.
 */
import { InputError } from '../errors.js';

export function checkOriginTemplate(template: string, field: string): void {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(template);
  const fail = (why: string): never => {
    throw new InputError(`${field}: ${why}, got ${JSON.stringify(template)}`, { field, suggestions: [`${field} 'http://origin.internal/items/{key}'`] });
  };
  if (!m) return fail('expected an http(s) URL template');
  // Stryker disable next-line StringLiteral: equivalent, both groups take part in every match, so the defaults never apply
  const [, scheme = '', authority = ''] = m;
  if (/[{}]/.test(scheme) || /[{}]/.test(authority)) fail('a placeholder such as {key} may not be in the scheme or host (only in the path or query)');
  if (!/^https?$/i.test(scheme)) fail('expected an http:// or https:// URL template');
  // Stryker disable next-line Regex,StringLiteral: equivalent, braces are left only in the path, query or fragment, where the URL parser accepts any text
  const filled = template.replace(/\{[^}]*\}/g, 'x');
  if (!URL.canParse(filled)) fail('not a valid URL once {key} is filled in');
}
