import i18n from '../i18n';
import { ApiError, apiUrl, fillPath, type PathsOf, type QueryOf, type Res } from './client';
import type { Problem } from './types';

type Query = Record<string, string | number | null | undefined>;

export interface UploadOptions {
  /** The multipart field the file goes in. */
  field?: string;
  /** Called as the request body goes out: bytes sent and the total. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

function problemOf(xhr: XMLHttpRequest): Problem | null {
  const type = xhr.getResponseHeader('content-type') ?? '';
  if (!type.includes('json') || !xhr.responseText) return null;
  try {
    const body: unknown = JSON.parse(xhr.responseText);
    return body && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}

/**
 * POSTs a file as multipart/form-data with XMLHttpRequest (fetch cannot report upload progress).
 * Resolves to the JSON body; rejects with ApiError like `api()`, or an AbortError when aborted.
 */
export function uploadFile<P extends PathsOf<'post'>>(
  path: P,
  file: Blob & { name?: string },
  options: UploadOptions & { params?: Record<string, string>; query?: QueryOf<P, 'post'> } = {},
): Promise<Res<P, 'post'>> {
  const { params, query, field = 'file', onProgress, signal } = options;
  return new Promise<Res<P, 'post'>>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The upload was aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);

    xhr.open('POST', apiUrl(fillPath(path, params), query as Query | undefined));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', i18n.language === 'en' ? 'en' : 'zh-CN, zh;q=0.9, en;q=0.5');
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    }
    xhr.onload = () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          // the contract types the answer, as in client.ts
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as Res<P, 'post'>);
        } catch (err) {
          reject(new ApiError(xhr.status, null, err instanceof Error ? err.message : String(err)));
        }
        return;
      }
      reject(new ApiError(xhr.status, problemOf(xhr), `${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, null, 'Network error'));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was aborted', 'AbortError'));
    };

    const form = new FormData();
    form.append(field, file, file.name ?? 'upload');
    xhr.send(form);
  });
}
