// What issuing and verifying need from the configuration: where the bank is reached (for did:web,
// status lists and share links) and the master key that seals the issuers' secret keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';

export interface Trust {
  publicUrl: string;
  /** `did:web:<host>[:<path>…]`, the prefix of every issuer's DID. */
  didPrefix: string;
  masterKey: Buffer;
  /** Hosts (host or host:port) whose did:web documents and status lists may be fetched (REMOTE_ISSUER_HOSTS). */
  remoteHosts?: string[];
  /** How they are fetched (tests give their own). */
  fetch?: typeof fetch;
}

export function trustOf(config: Pick<Config, 'publicUrl' | 'masterKey'> & Partial<Pick<Config, 'remoteIssuerHosts'>>): Trust {
  const url = new URL(config.publicUrl);
  const segments = [encodeURIComponent(url.host), ...url.pathname.split('/').filter(Boolean).map(encodeURIComponent)];
  return {
    publicUrl: config.publicUrl,
    didPrefix: `did:web:${segments.join(':')}`,
    masterKey: loadMasterKey(config.masterKey),
    remoteHosts: config.remoteIssuerHosts ?? [],
  };
}

function loadMasterKey(source: Config['masterKey']): Buffer {
  if ('base64' in source) return Buffer.from(source.base64, 'base64');
  if (!fs.existsSync(source.file)) {
    if (!source.create)
      throw new Error(`The credentials master key file ${source.file} does not exist; set CREDENTIALS_MASTER_KEY or CREDENTIALS_MASTER_KEY_FILE`);
    fs.mkdirSync(path.dirname(source.file), { recursive: true });
    fs.writeFileSync(source.file, `${crypto.randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(fs.readFileSync(source.file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`The credentials master key in ${source.file} must be 32 bytes in base64`);
  return key;
}

/** AES-256-GCM under the master key, bound to `context` (the key's owner) so a sealed key cannot be moved. */
export function seal(trust: Trust, plaintext: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', trust.masterKey, iv).setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

export function unseal(trust: Trust, sealed: string, context: string): string {
  const raw = Buffer.from(sealed.replace(/^v1\./, ''), 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', trust.masterKey, raw.subarray(0, 12)).setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('An issuer key could not be unsealed: the credentials master key is not the one it was sealed with');
  }
}
