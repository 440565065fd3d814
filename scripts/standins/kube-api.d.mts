export const STAND_IN_TOKEN: string;
export const STAND_IN_CONTEXT: string;
export function standInKubeconfig(url: string): string;
export function startKubeStandIn(options?: { host?: string; port?: number; kubeconfig?: string }): Promise<{ url: string; close(): Promise<void> }>;
