// The one seam through which this module sends e-mail (verification links, password resets): the
// notifications outbox (`queueMail`, written in the caller's transaction, sent by its worker over
// SMTP). Tests listen with captureAccountMail; in development ACCOUNT_MAIL_FILE also appends each
// mail as a JSON line to a file (the browser tests read the links there).
import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../db/connection.js';
import { queueMail } from '../notifications/service.js';

export type AccountMailKind = 'verify_email' | 'reset_password' | 'username_taken' | 'password_changed' | 'invitation';

export interface AccountMail {
  to: string;
  subject: string;
  text: string;
  kind: AccountMailKind;
  /** The link the mail carries (verification or reset), for tests and the development file. */
  link?: string;
}

const listeners = new Set<(mail: AccountMail) => void>();
let mailFile: string | undefined;

/** Calls `listener` with every account mail this process sends; returns the function that stops it. */
export function captureAccountMail(listener: (mail: AccountMail) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Development only (config refuses it in production): also append each mail to this file. */
export function setAccountMailFile(file: string | undefined) {
  mailFile = file;
}

export async function sendAccountMail(tx: Executor, mail: AccountMail): Promise<void> {
  await queueMail(tx, { to: mail.to, subject: mail.subject, text: mail.text });
  for (const l of listeners) l(mail);
  if (mailFile) {
    fs.mkdirSync(path.dirname(mailFile), { recursive: true });
    fs.appendFileSync(mailFile, `${JSON.stringify({ ...mail, at: new Date().toISOString() })}\n`);
  }
}
