import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/app-config';
import { runningInCi } from '../support/postgres';

/**
 * The deployment files, validated by Compose itself (`docker-compose config`: the schema,
 * interpolation, anchors, references between services) since no Docker engine runs here.
 * `.ci/run` installs Debian's docker-compose; elsewhere the suite is skipped, with a message,
 * when no Compose is installed.
 */

const DOCKER_DIR = resolve(__dirname, '../../docker');

function findCompose(): string[] | undefined {
  for (const command of [['docker-compose'], ['docker', 'compose']]) {
    const probe = spawnSync(command[0], [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return undefined;
}

const compose = findCompose();

function config(file: string, env: Record<string, string> = {}): string {
  // A clean environment: the files' own defaults, not whatever this shell exports.
  const cleanEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env };
  return execFileSync(compose![0], [...compose!.slice(1), '--project-directory', DOCKER_DIR, '-f', join(DOCKER_DIR, file), 'config'], {
    encoding: 'utf8',
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** One service's block of the normalised YAML `config` prints (two-space indented under `services:`). */
function serviceBlock(normalised: string, service: string): string {
  const lines = normalised.split('\n');
  const start = lines.findIndex((line) => line === `  ${service}:`);
  if (start < 0) throw new Error(`no service ${service} in:\n${normalised}`);
  const end = lines.findIndex((line, index) => index > start && /^ {0,2}\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The `environment:` mapping of a service block, as Compose resolved it. */
function environmentOf(block: string): Record<string, string> {
  const lines = block.split('\n');
  const start = lines.findIndex((line) => line === '    environment:');
  const env: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const match = /^ {6}([A-Z0-9_]+): (.*)$/.exec(line);
    if (!match) break;
    env[match[1]] = match[2].replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

if (!compose) {
  if (runningInCi()) {
    describe('docker/ compose files', () => {
      it('needs docker-compose under CI', () => {
        throw new Error('docker-compose is not installed: .ci/run installs it (apt-get install docker-compose)');
      });
    });
  } else {
    process.stderr.write(
      '\n[redress] docker/ compose validation SKIPPED: neither docker-compose nor `docker compose` is installed ' +
        '(apt-get install docker-compose to run it; .ci/run does).\n',
    );
    const registerSkipped = describe.skip;
    registerSkipped('docker/ compose files (docker-compose not installed)', () => {
      it('validates docker/docker-compose.yml', () => undefined);
    });
  }
} else {
  describe('docker/docker-compose.yml: the production stack', () => {
    let normalised: string;
    beforeAll(() => {
      normalised = config('docker-compose.yml');
    });

    it('is valid Compose, with a 3-node KurrentDB cluster, PostgreSQL, Redress instances and a load balancer', () => {
      const services = execFileSync(
        compose[0],
        [...compose.slice(1), '--project-directory', DOCKER_DIR, '-f', join(DOCKER_DIR, 'docker-compose.yml'), 'config', '--services'],
        {
          encoding: 'utf8',
          env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp' },
        },
      )
        .split('\n')
        .filter(Boolean)
        .sort();
      expect(services).toEqual(['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'lb', 'postgres', 'redress']);
    });

    it('makes the three KurrentDB nodes one cluster: size 3, each seeding the gossip with the other two', () => {
      for (const [node, others] of [
        [1, [2, 3]],
        [2, [1, 3]],
        [3, [1, 2]],
      ] as const) {
        const env = environmentOf(serviceBlock(normalised, `kurrentdb-${node}`));
        expect(env).toMatchObject({
          KURRENTDB_CLUSTER_SIZE: '3',
          KURRENTDB_INSECURE: 'true',
          KURRENTDB_GOSSIP_SEED: others.map((other) => `kurrentdb-${other}:2113`).join(','),
          KURRENTDB_ADVERTISE_HOST_TO_CLIENT_AS: `kurrentdb-${node}`,
        });
        expect(serviceBlock(normalised, `kurrentdb-${node}`)).toMatch(
          /image: docker\.(kurrent\.io|eventstore\.com)\/kurrent-latest\/kurrentdb|image: eventstore\/eventstore/,
        );
      }
    });

    it('wires Redress by environment variables that its own configuration accepts', () => {
      const env = withMountedSecrets(environmentOf(serviceBlock(normalised, 'redress')));
      const appConfig = loadConfig(env);
      expect(appConfig.eventStoreUrl).toBe('esdb://kurrentdb-1:2113,kurrentdb-2:2113,kurrentdb-3:2113?tls=false&nodePreference=leader');
      expect(appConfig.readStoreUrl).toMatch(/^postgres:\/\/redress:[^@]+@postgres:5432\/redress$/);
      expect(appConfig.readStoreSchema).toBe('redress');
      expect(appConfig.host).toBe('0.0.0.0');
    });

    it('gives every service a health check, and starts Redress only once the cluster and PostgreSQL are healthy', () => {
      for (const service of ['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'postgres', 'redress', 'lb']) {
        expect({ service, healthcheck: /\n {4}healthcheck:\n {6}\S/.test(serviceBlock(normalised, service)) }).toEqual({
          service,
          healthcheck: true,
        });
      }
      const redress = serviceBlock(normalised, 'redress');
      for (const dependency of ['kurrentdb-1', 'kurrentdb-2', 'kurrentdb-3', 'postgres']) {
        expect(redress).toContain(`      ${dependency}:\n        condition: service_healthy`);
      }
      expect(serviceBlock(normalised, 'lb')).toContain('      redress:\n        condition: service_healthy');
    });

    it('runs several Redress instances (REDRESS_REPLICAS) behind the one published port', () => {
      expect(serviceBlock(normalised, 'redress')).toMatch(/deploy:\n {6}replicas: 2\b/);
      expect(serviceBlock(normalised, 'redress')).not.toMatch(/\n {4}ports:/);
      expect(serviceBlock(config('docker-compose.yml', { REDRESS_REPLICAS: '4', REDRESS_PORT: '8080' }), 'redress')).toMatch(
        /replicas: 4\b/,
      );
      expect(readFileSync(join(DOCKER_DIR, 'nginx.conf'), 'utf8')).toMatch(/proxy_pass \$redress;/);
    });

    it('builds the service from the multi-stage Dockerfile', () => {
      expect(serviceBlock(normalised, 'redress')).toContain('dockerfile: docker/Dockerfile');
      const dockerfile = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
      expect(dockerfile.match(/^FROM .+ AS \w+$/gm)).toHaveLength(2);
      expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    });
  });

  describe('docker/docker-compose.embedded.yml: one instance on SQLite', () => {
    it('is valid Compose and keeps the data on a volume', () => {
      const normalised = config('docker-compose.embedded.yml');
      const env = withMountedSecrets(environmentOf(serviceBlock(normalised, 'redress')));
      expect(loadConfig(env)).toMatchObject({ dataDir: '/data', eventStoreUrl: undefined, readStoreUrl: undefined });
      expect(serviceBlock(normalised, 'redress')).toContain('redress-data:/data');
    });
  });
}

// The example of the variables the production stack reads stays in step with the file.
describe('docker/.env.example', () => {
  it('names every variable docker-compose.yml interpolates', () => {
    const file = readFileSync(join(DOCKER_DIR, 'docker-compose.yml'), 'utf8');
    const used = new Set([...file.matchAll(/\$\{([A-Z0-9_]+)(?::-[^}]*)?\}/g)].map((match) => match[1]));
    const example = existsSync(join(DOCKER_DIR, '.env.example')) ? readFileSync(join(DOCKER_DIR, '.env.example'), 'utf8') : '';
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect([...used].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });
});

/**
 * Docker mounts each compose secret as a file under /run/secrets; here each `*_FILE` variable pointing
 * there gets a file of its own with a secret in it, as the container would.
 */
function withMountedSecrets(env: Record<string, string>): Record<string, string> {
  const mounted = mkdtempSync(join(tmpdir(), 'redress-secrets-'));
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => {
      if (!name.endsWith('_FILE') || !value.startsWith('/run/secrets/')) return [name, value];
      const file = join(mounted, value.slice('/run/secrets/'.length));
      // 32 random bytes in base64: a master key (MASTER_KEY_FILE), and an HS256 secret of 44 characters (AUTH_SECRET_FILE).
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
      return [name, file];
    }),
  );
}
