/** Kubernetes label/field selectors (see label-selector.mjs). */
export function parseSelector(selector: string | undefined): (labels: Record<string, string>) => boolean;
export function matchesLabels(matchLabels: Record<string, string>, labels: Record<string, string>): boolean;
