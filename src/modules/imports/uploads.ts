// Raw uploads hold whole identity numbers: kept readable by the server's user only (files 0600, their
// directory 0700) and deleted once UPLOAD_RETENTION_DAYS have passed. A job's report (its counts and
// refused rows) lives in the database and stays.
import fs from 'node:fs';
import path from 'node:path';

export const uploadsDir = (dataDir: string) => path.join(dataDir, 'uploads');

/** Makes the uploads directory, and narrows one an older version made world-readable. */
export function ensureUploadsDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * Deletes the raw uploads last written more than `days` ago (a file is content-addressed: uploading
 * the same bytes again renews it) and half-written `.part` files as old; answers how many went.
 */
export function sweepUploads(dir: string, days: number, now = Date.now()): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const before = now - days * 86_400_000;
  let removed = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(dir, e.name);
    try {
      if (fs.statSync(file).mtimeMs >= before) continue;
      fs.rmSync(file, { force: true });
      removed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return removed;
}
