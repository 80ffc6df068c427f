/**
 * jest globalSetup: is PostgreSQL reachable at DATABASE_URL? The answer goes to
 * REDRESS_POSTGRES_AVAILABLE ('1' or '0'), which the test workers inherit and
 * `describeWithPostgres` reads. Under CI=true an unreachable server fails the whole run, so
 * PostgreSQL suites can never be skipped silently there.
 */
import { POSTGRES_AVAILABLE_ENV, postgresUrl, probePostgres, redactedPostgresUrl, runningInCi } from './postgres';

export default async function globalSetup(): Promise<void> {
  const url = postgresUrl();
  const problem = await probePostgres(url, 3000);
  process.env[POSTGRES_AVAILABLE_ENV] = problem === undefined ? '1' : '0';
  if (problem === undefined) return;
  const where = redactedPostgresUrl(url);
  if (runningInCi()) {
    throw new Error(
      `PostgreSQL is required under CI=true but ${where} is unreachable (${problem}).\n` +
        'Start it, e.g. `docker run -d --name redress-pg -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16`, ' +
        'or point DATABASE_URL at a server you can use (postgres://user@host:port/db).',
    );
  }
  process.stderr.write(
    `\n[redress] PostgreSQL suites are SKIPPED: ${where} is unreachable (${problem}). ` +
      'Start PostgreSQL or set DATABASE_URL to run them (under CI=true they must run).\n',
  );
}
