// Printable invitations to sign in (issue 22): one letter per learner, with the institution, the
// learner's name and account number, the activation code (shown this once), the address of the
// activation page and the expiry. On screen the letters are a preview; printing shows only them.
import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Res } from '../../api/client';
import { formatDate, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

export type IssuedInvitations = Res<'/institutions/{id}/invitations', 'post'>;
export type IssuedInvitation = IssuedInvitations['items'][number];
export type Institution = IssuedInvitations['institution'];

const PRINT_CSS = `
@media screen { .cb-print-root { display: none; } }
@media print {
  body > *:not(.cb-print-root) { display: none !important; }
  .cb-print-root { display: block !important; }
  .cb-letter { break-after: page; page-break-after: always; border: none !important; box-shadow: none !important; margin: 0 !important; }
  .cb-letter:last-child { break-after: auto; page-break-after: auto; }
}
.cb-letter { background: #fff; color: #1f1f1f; border: 1px solid #f0f0f0; border-radius: 8px; padding: 32px; max-width: 720px; margin: 0 auto 16px; font-size: 14px; line-height: 1.7; }
.cb-letter h2 { font-size: 20px; margin: 0 0 4px; }
.cb-letter .cb-letter-institution { color: #595959; margin-bottom: 24px; }
.cb-letter dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 16px 0; }
.cb-letter dt { color: #595959; }
.cb-letter dd { margin: 0; }
.cb-letter .cb-letter-code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 26px; letter-spacing: 2px; font-weight: 600; border: 2px dashed #8c8c8c; border-radius: 6px; padding: 8px 16px; display: inline-block; margin: 8px 0 16px; word-break: break-all; }
.cb-letter ol { padding-left: 20px; margin: 8px 0 16px; }
.cb-letter .cb-letter-url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
@media (max-width: 480px) { .cb-letter { padding: 16px; } .cb-letter .cb-letter-code { font-size: 20px; letter-spacing: 1px; } }
`;

/** One learner's letter. */
export function InvitationLetter({
  institution,
  activationUrl,
  invitation,
}: {
  institution: Institution;
  activationUrl: string;
  invitation: IssuedInvitation;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const name = lang === 'en' && invitation.fullNameLatin ? invitation.fullNameLatin : invitation.fullName;
  const institutionName = localName(lang, institution.nameZh, institution.nameEn);
  return (
    <section className="cb-letter" data-testid="invitation-letter">
      <h2>{t('invitations.letter.title')}</h2>
      <div className="cb-letter-institution">{institutionName}</div>
      <p>{t('invitations.letter.greeting', { name })}</p>
      <p>{t('invitations.letter.intro', { institution: institutionName })}</p>
      <dl>
        <dt>{t('invitations.letter.learner')}</dt>
        <dd>
          {invitation.fullName}
          {invitation.fullNameLatin && invitation.fullNameLatin !== invitation.fullName ? ` (${invitation.fullNameLatin})` : ''}
        </dd>
        <dt>{t('invitations.letter.accountNo')}</dt>
        <dd className="cb-mono">{invitation.accountNo}</dd>
        <dt>{t('invitations.letter.studentNo')}</dt>
        <dd className="cb-mono">{invitation.externalId}</dd>
      </dl>
      <div>{t('invitations.letter.codeLabel')}</div>
      <div className="cb-letter-code" data-testid="invitation-code">
        {invitation.code}
      </div>
      <ol>
        <li>
          {t('invitations.letter.step1')} <span className="cb-letter-url">{activationUrl}</span>
        </li>
        <li>{t('invitations.letter.step2')}</li>
        <li>{t('invitations.letter.step3')}</li>
      </ol>
      <p>
        <strong>{t('invitations.letter.expires', { date: formatDate(invitation.expiresAt) })}</strong> {t('invitations.letter.once')}
      </p>
    </section>
  );
}

/** The letters, as a preview (children) and, for the printer only, a copy at the top of the page. */
export function PrintableLetters({
  data,
  children,
}: {
  data: { institution: Institution; activationUrl: string; items: IssuedInvitation[] };
  children?: ReactNode;
}) {
  useEffect(() => {
    const style = document.createElement('style');
    style.setAttribute('data-cb-print', '');
    style.textContent = PRINT_CSS;
    document.head.appendChild(style);
    return () => style.remove();
  }, []);
  return (
    <>
      {children}
      {createPortal(
        <div className="cb-print-root">
          <PreviewLetters data={data} />
        </div>,
        document.body,
      )}
    </>
  );
}

/** The letters on screen. */
export function PreviewLetters({ data }: { data: { institution: Institution; activationUrl: string; items: IssuedInvitation[] } }) {
  return (
    <>
      {data.items.map((i) => (
        <InvitationLetter key={i.learnerId} institution={data.institution} activationUrl={data.activationUrl} invitation={i} />
      ))}
    </>
  );
}

/** The code is shown once: say so above the preview. */
export function ShownOnceNote() {
  const { t } = useTranslation();
  return <Typography.Paragraph type="warning">{t('invitations.shownOnce')}</Typography.Paragraph>;
}
