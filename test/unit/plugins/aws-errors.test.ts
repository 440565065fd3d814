/**
 * plugins/aws without an emulator: the shared client configuration and the
 * mapping of SDK failures to relia's errors (plugins/aws/src/common.ts), then
 * each adapter's own error handling through the real SDK against a scripted
 * loopback endpoint that answers every request with one canned AWS error
 * (XML for Route 53 / EC2 / Auto Scaling, JSON for FIS). moto, which the
 * contract suites use, cannot produce these answers (throttling, access
 * denied, NoSuchChange, a refused CREATE...). The success paths are the
 * contract suites' (test/contract/suites/dns.ts, compute.ts, alarms.ts).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCall, chunk, clientConfig, dependencyFailure, isNamed, RegionClients, send, signal } from '../../../plugins/aws/src/common.js';
import { AwsCompute } from '../../../plugins/aws/src/compute.js';
import { fqdn, Route53Dns } from '../../../plugins/aws/src/dns.js';
import { FisExperiments } from '../../../plugins/aws/src/experiments.js';
import providers from '../../../plugins/aws/src/hooks/providers.js';
import { makeKit } from '../../../src/cli/providers.js';
import { DependencyError, InputError, ReliaError } from '../../../src/core/errors.js';

const kit = makeKit('test');
const where = { call: 'ec2:StopInstances', region: 'eu-west-1' };

describe('clientConfig and RegionClients', () => {
  it('the retry budget (at least 1), both timeouts, region, endpoint and profile only when set', () => {
    expect(clientConfig({ timeoutMs: 4000, maxAttempts: 0 }, undefined)).toEqual({ maxAttempts: 1, requestHandler: { connectionTimeout: 4000, requestTimeout: 4000 } });
    expect(clientConfig({ timeoutMs: 1000, maxAttempts: 5, region: 'us-east-1', endpoint: 'http://127.0.0.1:5000', profile: 'chaos' }, 'eu-west-1')).toEqual({
      maxAttempts: 5,
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
      profile: 'chaos',
      requestHandler: { connectionTimeout: 1000, requestTimeout: 1000 },
    });
    // a per-service endpoint wins over the shared one
    expect(clientConfig({ timeoutMs: 1, maxAttempts: 1, endpoint: 'http://a' }, 'x', 'http://b').endpoint).toBe('http://b');
  });

  it('one client per region, made on first use, all destroyed on close', () => {
    const made: string[] = [];
    const destroyed: string[] = [];
    const clients = new RegionClients((region) => (made.push(region), { region, destroy: () => void destroyed.push(region) }));
    expect(clients.get('a')).toBe(clients.get('a'));
    clients.get('b');
    expect(made).toEqual(['a', 'b']);
    clients.close();
    expect(destroyed).toEqual(['a', 'b']);
    clients.get('a');
    expect(made).toEqual(['a', 'b', 'a']);
  });

  it('chunk, isNamed, signal and send', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(isNamed({ name: 'InvalidInstanceID.NotFound' }, 'X', 'InvalidInstanceID.NotFound')).toBe(true);
    expect(isNamed(undefined, 'X')).toBe(false);
    const c = new AbortController();
    expect(signal({})).toEqual({});
    expect(signal({ signal: c.signal })).toEqual({ signal: c.signal });
    expect(send({})).toBeUndefined();
    expect(send({ signal: c.signal })).toEqual({ abortSignal: c.signal });
  });
});

describe('dependencyFailure: SDK errors as relia errors (exit 3), naming the call and region', () => {
  const fail = (err: unknown, endpoint?: string) => dependencyFailure(kit, where, err, endpoint) as ReliaError;

  it('authorisation by error name or by HTTP 401/403: "was refused", with the credentials and the IAM permission to check', () => {
    for (const err of [{ name: 'AccessDenied', message: 'no', $metadata: { httpStatusCode: 403 } }, { name: 'CredentialsProviderError', message: 'Could not load credentials' }, { name: 'Weird', message: 'x', $metadata: { httpStatusCode: 401 } }]) {
      const e = fail(err);
      expect(e).toBeInstanceOf(DependencyError);
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/^ec2:StopInstances in eu-west-1 was refused: /);
      expect(e.suggestions).toContain('the caller needs the IAM permission ec2:StopInstances');
      expect(e.cause).toBe(err);
    }
  });

  it('throttling after the retry budget: by name or by the retryable flag, with the attempts', () => {
    expect(fail({ name: 'ThrottlingException', $metadata: { attempts: 3, httpStatusCode: 400 } }).message).toBe('ec2:StopInstances in eu-west-1 was throttled after 3 attempts: ThrottlingException');
    expect(fail({ name: 'Other', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } }).message).toBe('ec2:StopInstances in eu-west-1 was throttled: Other');
    expect(fail({ name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }).suggestions[0]).toMatch(/maxAttempts/);
  });

  it('no region configured', () => {
    const e = fail(new Error('Region is missing'));
    expect(e.message).toBe('ec2:StopInstances in eu-west-1: no AWS region configured');
    expect(e.suggestions[0]).toMatch(/aws\.region/);
  });

  it('transport failures (a code, a timeout, no HTTP status) name the endpoint; a server error its HTTP status', () => {
    const refused = fail(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'http://127.0.0.1:9');
    expect(refused.message).toBe('ec2:StopInstances in eu-west-1 failed (endpoint http://127.0.0.1:9): ECONNREFUSED');
    expect(refused.suggestions[0]).toMatch(/network path/);
    expect(fail({ name: 'TimeoutError', message: 'socket hang up' }).message).toBe('ec2:StopInstances in eu-west-1 failed: timed out: socket hang up');
    const server = fail({ name: 'InternalError', message: 'boom', $metadata: { httpStatusCode: 500 } });
    expect(server.message).toBe('ec2:StopInstances in eu-west-1 failed: InternalError: boom');
    expect(server.suggestions).toEqual(['AWS answered HTTP 500; retry, and check the AWS Health Dashboard if it persists']);
    expect(fail(undefined).message).toBe('ec2:StopInstances in eu-west-1 failed: Error:');
  });

  it('an aborted call rethrows the signal’s reason; a relia error passes through unchanged', () => {
    const c = new AbortController();
    const reason = new Error('interrupted by SIGINT');
    c.abort(reason);
    expect(dependencyFailure(kit, { ...where, signal: c.signal }, new Error('AbortError'))).toBe(reason);
    const c2 = new AbortController();
    c2.abort('plain');
    expect(dependencyFailure(kit, { ...where, signal: c2.signal }, new Error('x')).message).toBe('plain');
    const input = new InputError('bad', { field: 'f' });
    expect(dependencyFailure(kit, where, input)).toBe(input);
  });

  it('awsCall: recover may answer a value or its own error; anything else is mapped; an aborted signal never calls', async () => {
    const boom = { name: 'NoSuchThing', $metadata: { httpStatusCode: 404 } };
    await expect(awsCall(kit, where, undefined, async () => 7)).resolves.toBe(7);
    await expect(awsCall(kit, where, undefined, () => Promise.reject(boom), () => ({ value: 'fallback' }))).resolves.toBe('fallback');
    const own = new InputError('no such instance', { field: 'instances' });
    await expect(awsCall(kit, where, undefined, () => Promise.reject(boom), () => own)).rejects.toBe(own);
    await expect(awsCall(kit, where, undefined, () => Promise.reject(boom), () => undefined)).rejects.toThrow(/failed: NoSuchThing/);
    const c = new AbortController();
    c.abort(new Error('stop'));
    let called = false;
    await expect(awsCall(kit, { ...where, signal: c.signal }, undefined, async () => (called = true))).rejects.toThrow('stop');
    expect(called).toBe(false);
  });
});

describe('Route 53 names', () => {
  it('fqdn: lower case, a trailing dot, and Route 53’s \\NNN octal escapes undone', () => {
    expect(fqdn('API.Example.com')).toBe('api.example.com.');
    expect(fqdn('\\052.example.com.')).toBe('*.example.com.');
  });
});

/** One canned answer for every request, and the requests seen (method, path, body). */
interface Canned {
  status: number;
  headers?: Record<string, string>;
  body: string;
}
let server: Server;
let endpoint: string;
let answer: Canned = { status: 500, body: '' };
const seen: Array<{ method: string; url: string; body: string }> = [];

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString()));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', body: await read(req) });
    res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  process.env.AWS_ACCESS_KEY_ID ??= 'test';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const settings = () => ({ timeoutMs: 2000, maxAttempts: 1, region: 'us-east-1', endpoint });
const route53Error = (code: string, message: string, status = 400): Canned => ({
  status,
  body: `<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
const queryError = (code: string, message: string, status = 400): Canned => ({
  status,
  body: `<?xml version="1.0"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
});
const ec2Error = (code: string, message: string): Canned => ({ status: 400, body: `<?xml version="1.0"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>` });

describe('Route 53 adapter: what each call makes of an error answer', () => {
  it('a missing zone (by id or name), record set, change and health check', async () => {
    const dns = new Route53Dns(settings(), kit);
    try {
      answer = route53Error('NoSuchHostedZone', 'No hosted zone found with ID: Z0NE', 404);
      expect(await dns.findZone('Z0NE')).toBeNull();
      const noZone = await dns.listRecords('Z0NE', 'api.example.com.').catch((e: unknown) => e);
      expect(noZone).toBeInstanceOf(InputError);
      expect((noZone as InputError).message).toBe('route53:ListResourceRecordSets: no hosted zone Z0NE');
      answer = route53Error('NoSuchChange', 'no change C1', 404);
      await expect(dns.changeStatus('/change/C1')).rejects.toThrow('route53:GetChange: no change /change/C1');
      answer = route53Error('NoSuchHealthCheck', 'no such check', 404);
      expect(await dns.healthCheckStatus('hc-1')).toBeNull();
    } finally {
      await dns.close();
    }
  });

  it('a refused change batch resolves "rejected" with Route 53’s reason; a weight outside 0..255 never leaves the process', async () => {
    const dns = new Route53Dns(settings(), kit);
    try {
      seen.length = 0;
      const out = await dns.change('Z1', [{ action: 'UPSERT', record: { name: 'api.example.com', type: 'A', setIdentifier: 'a', weight: 256, ttl: 60, values: ['192.0.2.1'] } }]);
      expect(out).toEqual({ status: 'rejected', reason: 'Invalid weight 256 for api.example.com. a: weights are 0..255' });
      expect(seen).toEqual([]);
      answer = route53Error('InvalidInput', 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]]');
      const refused = await dns.change('Z1', [{ action: 'UPSERT', record: { name: 'api.example.com', type: 'A', setIdentifier: 'a', weight: 1, values: [] } }], 'relia test');
      expect(refused).toEqual({ status: 'rejected', reason: 'Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]]' });
      // the batch went out as one ChangeResourceRecordSets with our comment and the FQDN
      expect(seen.at(-1)?.url).toBe('/2013-04-01/hostedzone/Z1/rrset');
      expect(seen.at(-1)?.body).toContain('<Comment>relia test</Comment>');
      expect(seen.at(-1)?.body).toContain('<Name>api.example.com.</Name>');
    } finally {
      await dns.close();
    }
  });

  it('access denied and throttling are exit 3 naming the Route 53 call', async () => {
    const dns = new Route53Dns(settings(), kit);
    try {
      answer = route53Error('AccessDenied', 'User is not authorized to perform: route53:GetChange', 403);
      const denied = (await dns.changeStatus('C1').catch((e: unknown) => e)) as DependencyError;
      expect(denied.exitCode).toBe(3);
      expect(denied.message).toMatch(/^route53:GetChange in us-east-1 was refused: AccessDenied/);
      answer = route53Error('Throttling', 'Rate exceeded', 400);
      await expect(dns.healthCheckStatus('hc-1')).rejects.toThrow(/route53:GetHealthCheckStatus in us-east-1 was throttled/);
    } finally {
      await dns.close();
    }
  });
});

describe('EC2 and Auto Scaling adapter: error answers', () => {
  it('instances that do not exist are an InputError naming them; a wrong state is an InputError; a refusal is exit 3; no ids, no call', async () => {
    const compute = new AwsCompute(settings(), kit);
    try {
      answer = ec2Error('InvalidInstanceID.NotFound', "The instance ID 'i-0abc' does not exist");
      const e = (await compute.stopInstances('us-east-1', ['i-0abc', 'i-0def']).catch((x: unknown) => x)) as InputError;
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toBe('ec2:StopInstances in us-east-1: no such instance i-0abc (InvalidInstanceID.NotFound)');
      answer = ec2Error('IncorrectInstanceState', 'The instance is not in a state from which it can be started.');
      await expect(compute.startInstances('us-east-1', ['i-0abc'])).rejects.toThrow(/ec2:StartInstances in us-east-1: The instance is not in a state/);
      answer = ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
      await expect(compute.terminateInstances('us-east-1', ['i-0abc'])).rejects.toThrow(/ec2:TerminateInstances in us-east-1 was refused: UnauthorizedOperation/);
      const calls = seen.length;
      await compute.stopInstances('us-east-1', []); // nothing to do: no call
      expect(seen.length).toBe(calls);
    } finally {
      await compute.close();
    }
  });

  it('a group or group member that does not exist is an InputError; an error answer to a read is exit 3 naming the endpoint', async () => {
    const compute = new AwsCompute(settings(), kit);
    try {
      answer = { status: 200, body: '<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>' };
      await expect(compute.setDesiredCapacity('us-east-1', 'api', 3)).rejects.toThrow('autoscaling:SetDesiredCapacity: no Auto Scaling group api in us-east-1');
      await expect(compute.suspendProcesses('us-east-1', 'api')).rejects.toThrow('autoscaling:SuspendProcesses: no Auto Scaling group api in us-east-1');
      answer = { status: 200, body: '<DescribeAutoScalingInstancesResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingInstancesResult><AutoScalingInstances/></DescribeAutoScalingInstancesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingInstancesResponse>' };
      await expect(compute.terminateInstanceInGroup('us-east-1', 'i-0abc', false)).rejects.toThrow('autoscaling:TerminateInstanceInAutoScalingGroup: instance i-0abc is not in an Auto Scaling group in us-east-1');
      answer = queryError('ValidationError', 'AutoScalingGroup name not found', 400);
      await expect(compute.describeGroups('us-east-1', ['api'])).rejects.toThrow(/^autoscaling:DescribeAutoScalingGroups in us-east-1 failed \(endpoint http:\/\/127\.0\.0\.1:\d+\): ValidationError: AutoScalingGroup name not found$/);
    } finally {
      await compute.close();
    }
  });
});

describe('FIS adapter: error answers', () => {
  const fisError = (type: string, message: string, status: number): Canned => ({ status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ message }) });

  it('an unknown template is an InputError; an unknown experiment is null on get and an InputError on stop', async () => {
    const fis = new FisExperiments(settings(), kit);
    try {
      answer = fisError('ResourceNotFoundException', 'Experiment template not found', 404);
      const start = (await fis.start('us-east-1', 'EXT123').catch((e: unknown) => e)) as InputError;
      expect(start).toBeInstanceOf(InputError);
      expect(start.message).toMatch(/^fis:StartExperiment in us-east-1: no experiment template EXT123/);
      expect(await fis.get('us-east-1', 'EXP1')).toBeNull();
      await expect(fis.stop('us-east-1', 'EXP1')).rejects.toThrow('fis:StopExperiment in us-east-1: no experiment EXP1');
      answer = fisError('AccessDeniedException', 'not allowed', 403);
      await expect(fis.get('us-east-1', 'EXP1')).rejects.toThrow(/fis:GetExperiment in us-east-1 was refused/);
    } finally {
      await fis.close();
    }
  });
});

describe('the relia:providers hook of plugins/aws', () => {
  it('registers compute, dns, alarms and experiments under "aws"; create() builds each adapter without a call', async () => {
    const regs = await providers({ kit });
    expect(regs.map((r) => `${r.port}/${r.scheme}`)).toEqual(['compute/aws', 'dns/aws', 'alarms/aws', 'experiments/aws']);
    seen.length = 0;
    for (const r of regs) {
      const port = (await r.create(settings() as never, kit)) as { kind: string; close(): Promise<void> };
      expect(port.kind).toBe('aws');
      await port.close();
    }
    expect(seen).toEqual([]);
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBeDefined();
    expect(ReliaError.is(new DependencyError('aws', 'x'))).toBe(true);
  });
});
