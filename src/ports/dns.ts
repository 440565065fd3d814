/**
 * The DNS port: weighted record sets, atomic change batches and health
 * checks (AWS Route 53, or any DNS API with the same model).
 *
 * Semantics the contract suite pins:
 * - `change` applies all changes or none (one ChangeBatch). A batch the server
 *   refuses (a CREATE of an existing record, a DELETE that does not match
 *   exactly, a weight out of range) resolves `{status: 'rejected'}` with the
 *   server's reason: the failover lock relies on CREATE failing when the
 *   record exists. Transport errors raise DependencyError.
 * - Names are fully qualified with a trailing dot in answers.
 * - `findZone` accepts a zone name (with or without the trailing dot) or an id
 *   (with or without the `/hostedzone/` prefix); null when absent.
 */

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'TXT' | string;

export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface RecordSet {
  name: string;
  type: RecordType;
  /** Present on weighted, failover, latency... records. */
  setIdentifier?: string;
  /** Present on weighted records: 0..255. */
  weight?: number;
  ttl?: number;
  /** Resource record values (TXT values include their quotes). */
  values?: string[];
  aliasTarget?: AliasTarget;
  healthCheckId?: string;
}

export interface HostedZone {
  /** Bare id, without `/hostedzone/`. */
  id: string;
  name: string;
  private: boolean;
}

export interface DnsChange {
  action: 'CREATE' | 'UPSERT' | 'DELETE';
  record: RecordSet;
}

export type ChangeOutcome = { status: 'applied'; changeId: string } | { status: 'rejected'; reason: string };

export interface HealthCheckStatus {
  id: string;
  healthy: boolean;
  /** How many checkers reported; how many of them say healthy. */
  checkers: number;
  healthyCheckers: number;
}

export interface DnsCallOptions {
  signal?: AbortSignal;
}

export interface DnsPort {
  readonly kind: string;
  findZone(nameOrId: string, options?: DnsCallOptions): Promise<HostedZone | null>;
  /** Record sets with this name (and type, when given), every set identifier. */
  listRecords(zoneId: string, name: string, type?: RecordType, options?: DnsCallOptions): Promise<RecordSet[]>;
  change(zoneId: string, changes: DnsChange[], comment?: string, options?: DnsCallOptions): Promise<ChangeOutcome>;
  changeStatus(changeId: string, options?: DnsCallOptions): Promise<'PENDING' | 'INSYNC'>;
  /** null when the health check does not exist. */
  healthCheckStatus(id: string, options?: DnsCallOptions): Promise<HealthCheckStatus | null>;
  close(): Promise<void>;
}
