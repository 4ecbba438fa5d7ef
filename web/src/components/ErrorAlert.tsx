import type { CSSProperties } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { codeMessage, problemMessage } from '../api/problemMessage';

/** The message to show for an error: the problem's code in the reader's words (problemMessage), else the problem's detail, its title, or a generic text. */
export function useErrorMessage() {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      const known = problemMessage(error.problem, i18n);
      if (known) return known;
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
  const { t, i18n } = useTranslation();
  const message = useErrorMessage()(error);
  // a field error that only repeats the detail (a conflict naming its field) is not listed again, nor
  // the server's words for a refusal already said by its code
  const fieldErrors = (error instanceof ApiError && !codeMessage(error.problem, i18n) ? (error.problem?.errors ?? []) : []).filter(
    (e) => e.message !== message,
  );
  const heading =
    title ??
    (error instanceof ApiError && error.problem?.title && error.problem.detail && !codeMessage(error.problem, i18n)
      ? error.problem.title
      : t('errors.loadFailed'));
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
                  {/* the field's name, without where in the request it was sent */}
                  <code>{e.path.replace(/^(body|query|params|headers)\./, '')}</code>
                  {i18n.language.startsWith('zh') ? '：' : ': '}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}
