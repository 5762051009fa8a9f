import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFinding, type Finding } from '../../../model';
import { parseVerificationKeys, type VerificationKey } from './verification-key';

/** ЕСИА's token verification keys from the configured rotation list, and what was wrong with it. */
export interface LoadedVerificationKeys {
  /** Every usable key, in list order. */
  keys: VerificationKey[];
  /**
   * One finding per entry that gave no key (missing, unreadable, unsupported algorithm) and per
   * expired certificate. An entry that fails never stops the others from being used.
   */
  findings: Finding[];
}

/**
 * Reads the rotation list (`esia.verificationCertificateFiles`). The one loader that both token
 * verification and `ejsync esia check` use, so the check says exactly what sign-in will accept.
 * An expired certificate stays usable (ЕСИА's tokens are checked against the key, not a
 * certificate chain) but is reported.
 */
export async function loadVerificationKeys(files: readonly string[], now: Date = new Date()): Promise<LoadedVerificationKeys> {
  const keys: VerificationKey[] = [];
  const findings: Finding[] = [];
  for (const file of files) {
    const name = path.basename(file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      findings.push(makeFinding('esia.verification_key_unreadable', { file, detail: `${name}: файл не найден или недоступен для чтения` }));
      continue;
    }
    const parsed = parseVerificationKeys(bytes, file);
    if (!parsed.ok) {
      findings.push(makeFinding(parsed.code, { file, detail: `${name}: ${parsed.detail}` }));
      continue;
    }
    for (const key of parsed.keys) {
      keys.push(key);
      const validTo = key.certificate?.validTo;
      if (validTo && validTo.getTime() < now.getTime()) {
        findings.push(makeFinding('esia.verification_key_expired', { file, detail: `${path.basename(key.source)}: действовал до ${validTo.toISOString().slice(0, 10)}` }));
      }
    }
  }
  return { keys, findings };
}
