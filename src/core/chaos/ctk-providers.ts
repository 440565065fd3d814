/**
 * THE mapping table from chaostoolkit providers to relia's registry types,
 * in one place so it is trivial to align with the activities `faults`
 * registers. Each entry turns a chaostoolkit provider's arguments into the
 * native activity's args. Pure.
 *
 * | chaostoolkit provider                              | relia type                 |
 * |----------------------------------------------------|----------------------------|
 * | `type: http` (url, method, headers, arguments, timeout, expected_status) | `http.request` |
 * | `type: process` (path, arguments, timeout)         | `process.run`              |
 * | python `chaosk8s.pod.actions.terminate_pods`       | `kubernetes.pod-kill`      |
 * | python `chaosaws.ec2.actions.stop_instances`       | `aws.ec2-stop`             |
 * | python `chaosaws.asg.actions.terminate_random_instances` | `aws.asg-terminate` (asg_names or tags) |
 *
 * Target selection follows `faults`' selection fields: `mode` is `one`, `all`,
 * `{count: N}` or `{percent: P}`; terminate_pods' qty is a count, or a percent
 * with its mode `percentage`; its name_pattern is not modelled (exit 2).
 * | python `chaosprometheus.probes.query`              | `prometheus.query`         |
 */

export interface MappedProvider {
  type: string;
  args: Record<string, unknown>;
}

type Args = Record<string, unknown>;

function defined(rec: Args): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(rec)) if (v !== undefined) out[k] = v;
  return out;
}

/** chaostoolkit timeouts are seconds: a number, or [connect, read]. `http.request` and `process.run` take them as they are. */
function timeoutOf(value: unknown): unknown {
  return typeof value === 'number' || Array.isArray(value) ? value : undefined;
}

export const CTK_HTTP_TYPE = 'http.request';
export const CTK_PROCESS_TYPE = 'process.run';

/**
 * `type: http` → `http.request`, which takes chaostoolkit's fields (arguments
 * as query parameters for GET/HEAD/DELETE, a JSON body otherwise; seconds).
 * Output `{status, headers, body, latencyMs}`.
 */
export function mapHttp(p: Args): MappedProvider {
  const a = p.arguments;
  return {
    type: CTK_HTTP_TYPE,
    args: defined({
      url: p.url,
      method: typeof p.method === 'string' ? p.method.toUpperCase() : 'GET',
      headers: p.headers,
      arguments: a !== null && typeof a === 'object' && !Array.isArray(a) ? a : undefined,
      body: typeof a === 'string' ? a : undefined,
      timeout: timeoutOf(p.timeout),
      expectStatus: p.expected_status,
    }),
  };
}

/** `type: process` → `process.run` (path, arguments as a string or a list, timeout in seconds). Output `{status, stdout, stderr}`. */
export function mapProcess(p: Args): MappedProvider {
  const a = p.arguments;
  let args: unknown = a;
  if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
    const argv: string[] = [];
    for (const [k, v] of Object.entries(a)) argv.push(k, ...(v === '' || v === null ? [] : [String(v)]));
    args = argv;
  }
  return { type: CTK_PROCESS_TYPE, args: defined({ path: p.path, arguments: args, timeout: timeoutOf(p.timeout) }) };
}

/** Known python extension functions, `module.func` → the native activity. */
/** chaostoolkit's AWS extensions read the region from configuration `aws_region`. */
const awsRegion = (a: Args, config: Args): unknown => a.region ?? config.aws_region;

export const CTK_PYTHON: Record<string, { kind: 'action' | 'probe'; map: (a: Args, config: Args) => MappedProvider }> = {
  'chaosk8s.pod.actions.terminate_pods': {
    kind: 'action',
    map: (a) => ({
      type: 'kubernetes.pod-kill',
      args: defined({
        namespace: a.ns ?? 'default',
        selector: a.label_selector,
        // chaosk8s: qty is a count (mode fixed, the default) or a percent (mode percentage).
        mode: a.all === true ? 'all' : typeof a.qty === 'number' ? (a.mode === 'percentage' ? { percent: a.qty } : { count: a.qty }) : 'one',
        gracePeriod: a.grace_period !== undefined && a.grace_period !== -1 ? `${String(a.grace_period)}s` : undefined,
        // Not modelled: passed through under its own name, so the strict args reject it (exit 2 naming it) instead of ignoring it.
        name_pattern: a.name_pattern,
      }),
    }),
  },
  'chaosaws.ec2.actions.stop_instances': {
    kind: 'action',
    // chaostoolkit stops every instance that matches
    map: (a, config) => ({ type: 'aws.ec2-stop', args: defined({ region: awsRegion(a, config), instanceIds: a.instance_ids, filters: a.filters, az: a.az, force: a.force, mode: 'all' }) }),
  },
  'chaosaws.asg.actions.terminate_random_instances': {
    kind: 'action',
    map: (a, config) => ({
      type: 'aws.asg-terminate',
      args: defined({
        region: awsRegion(a, config),
        asgNames: a.asg_names,
        tags: a.tags,
        mode: typeof a.instance_count === 'number' ? { count: a.instance_count } : typeof a.instance_percent === 'number' ? { percent: a.instance_percent } : 'one',
        az: a.az,
        // Both given: chaosaws refuses the pair; passed through under its own name so the strict args reject it (exit 2) instead of one silently winning.
        instance_percent: a.instance_count !== undefined ? a.instance_percent : undefined,
      }),
    }),
  },
  'chaosprometheus.probes.query': {
    kind: 'probe',
    map: (a) => ({ type: 'prometheus.query', args: defined({ query: a.query, when: a.when }) }),
  },
};

export function supportedPython(): string[] {
  return Object.keys(CTK_PYTHON).sort();
}
