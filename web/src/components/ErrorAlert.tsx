import type { CSSProperties } from 'react';
import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { Problem } from '../api/types';

/** A refusal the server names by a stable code, in the reader's language; undefined for others. */
function coded(t: TFunction, lang: string, problem: Problem | null): string | undefined {
  if (problem?.code === 'credit_already_used' && problem.uses?.length) {
    const name = (i: { nameZh: string; nameEn: string }) => (lang.startsWith('zh') ? i.nameZh : i.nameEn);
    const uses = problem.uses.map((u) =>
      t(`errors.code.creditUsed.${u.useType}`, { label: u.label, institution: name(u.institution), since: u.since.slice(0, 10), id: u.useId.split(':')[0]!.slice(0, 8) }),
    );
    return `${uses.join(t('errors.code.separator'))}${t('errors.code.creditUsed.oneUse')}`;
  }
  if (problem?.code === 'idempotency_in_progress') return t('errors.code.inProgress');
  return undefined;
}

/** The message to show for an error: a coded refusal in the reader's words, else the problem's detail, its title, or a generic text. */
export function useErrorMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      const known = coded(t, i18n.language, error.problem);
      if (known) return known;
      if (error.problem?.detail) return error.problem.detail;
      if (error.problem?.title) return error.problem.title;
      if (error.status === 0) return t('errors.network');
      if (error.status === 401) return t('errors.unauthorized');
      if (error.status === 403) return t('errors.forbidden');
      if (error.status === 404) return t('errors.notFound');
      return t('errors.http', { status: error.status });
    }
    return error instanceof Error && error.message ? error.message : t('errors.unknown');
  };
}

/** An inline error box for a failed request, listing field errors when the server gave them. */
export function ErrorAlert({ error, title, style }: { error: unknown; title?: string; style?: CSSProperties }) {
  const { t } = useTranslation();
  const message = useErrorMessage()(error);
  // a field error that only repeats the detail (a conflict naming its field) is not listed again, nor
  // the server's words for a refusal already said by its code
  const fieldErrors = (error instanceof ApiError && !error.problem?.code ? (error.problem?.errors ?? []) : []).filter((e) => e.message !== message);
  const heading = title ?? (error instanceof ApiError && error.problem?.title && error.problem.detail ? error.problem.title : t('errors.loadFailed'));
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={style}
      message={heading}
      description={
        <>
          {/* A validation problem's detail is its field errors run together: list them once. */}
          {message !== fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ') && <div>{message}</div>}
          {fieldErrors.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {fieldErrors.map((e) => (
                <li key={`${e.path}:${e.message}`}>
                  <code>{e.path}</code>: {e.message}
                </li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
