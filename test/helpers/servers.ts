/** Access to the real local servers the harness started (see test/setup/servers.ts). */
import { connect, createServer } from 'node:net';
import { inject } from 'vitest';
export { kit } from './kit.js';

/** The shape of servers.json written by `scripts/servers.mjs up` (see docs/test-servers.md). */
export interface ServersInfo {
  /** `scrapeDir`: file_sd target files (`*.json`) scraped every second as job="harness". */
  prometheus: { url: string; pid: number; dataDir: string; scrapeDir: string };
  redis: Array<{ url: string; port: number; pid: number }>;
  origin: { url: string; pid: number };
  /** `accessLog`: nginx's access log (combined format), for access-log sources. */
  nginx: { url: string; pid: number; accessLog: string };
  /** moto (an AWS emulator): `servers.mjs up` fails when it cannot start it. */
  moto: { url: string; pid: number };
  /** The loopback FIS stand-in (scripts/standins/fis.mjs). */
  fis: { url: string; pid: number };
  /** The loopback Kubernetes API stand-in (scripts/standins/kube-api.mjs) and a kubeconfig for it. */
  kube: { url: string; pid: number; kubeconfig: string; context: string };
  history: { expectedFile: string; end: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServersInfo;
  }
}

export function servers(): ServersInfo {
  return inject('servers');
}

/** A loopback port with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let counter = 0;
/** A key prefix unique to this process and call. */
export function uniquePrefix(tag: string): string {
  counter++;
  return `relia-test:${tag}:${process.pid}:${counter}:`;
}

/** True when something accepts connections on the loopback port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
