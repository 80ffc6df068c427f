import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface GeneratedSecretOptions<T> {
  /** Makes the secret's text (random, printable): called once, by whichever process makes the file. */
  readonly make: () => string;
  /** Reads the file's text (trimmed) as the secret; throws, naming the file, when it holds no usable secret. */
  readonly parse: (text: string, file: string) => T;
  /** The setting that takes the file's place, named in errors (e.g. `AUTH_SECRET`). */
  readonly setting: string;
}

export interface GeneratedSecret<T> {
  readonly value: T;
  readonly file: string;
  /** True when this call made the file; false when it was there already. */
  readonly created: boolean;
}

/**
 * A secret the embedded profile keeps in a file of its own (never in production, where the caller refuses first):
 * made on first use with mode 0600 and reused by every later start. The file is written whole under a private
 * name, then linked into place, so a process starting at the same moment either links first or finds the complete
 * file, never a half-written one. A file others may read is refused rather than used.
 */
export function generatedSecret<T>(file: string, { make, parse, setting }: GeneratedSecretOptions<T>): GeneratedSecret<T> {
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(draft, `${make()}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(draft, 0o600); // the umask cannot loosen it, but make the intent plain
    linkSync(draft, file);
    return { value: parse(readSecretText(file), file), file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file} is readable by other users: restrict it (chmod 600 ${file}) or set ${setting}`);
  }
  return { value: parse(readSecretText(file), file), file, created: false };
}

function readSecretText(file: string): string {
  return readFileSync(file, 'utf8').trim();
}
