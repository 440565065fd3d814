import type { Server } from 'node:http';
export function createFisStandIn(): Server;
export function startFisStandIn(options?: { host?: string; port?: number }): Promise<{ url: string; close(): Promise<void> }>;
