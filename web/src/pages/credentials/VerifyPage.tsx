// The public verification page (核验凭证): anyone, without an account, pastes a credential's JSON or
// chooses its file and sees whether it is genuine, unrevoked and unaltered; a share link
// (/verify/:shareId) opens the shared credential with the same answer.
import { useRef, useState } from 'react';
import { Button, Card, Form, Input, Result, Skeleton, Space, Typography, Upload } from 'antd';
import { ClearOutlined, DownloadOutlined, FileSearchOutlined, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { downloadJson, verifyCredential } from '../../api/credentials';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { VerificationCard } from './common';
import { hashedIdentities } from './HashedIdentity';

/** The credential's own name, when it has one (a transcript states no achievement). */
function nameOf(document: unknown): string | null {
  const name = document && typeof document === 'object' ? (document as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? name : null;
}

/**
 * Why a share link no longer opens, from the server's words: withdrawn by the learner, or expired
 * (on a date); the general explanation otherwise.
 */
function goneWhy(t: TFunction, error: unknown): string {
  const p = error instanceof ApiError ? error.problem : null;
  if (p?.code === 'share_link_revoked') return t('credentials.verify.goneWithdrawn');
  const expiredOn = (p as { expiredOn?: unknown } | null)?.expiredOn;
  if (p?.code === 'share_link_expired' && typeof expiredOn === 'string') return t('credentials.verify.goneExpired', { date: expiredOn });
  return t('credentials.verify.goneHelp');
}

/** Parses the pasted text; says where it went wrong instead of throwing. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

export function VerifyPage() {
  const { shareId } = useParams<{ shareId: string }>();
  // a narrower column than the app's tables: the answer reads as one document
  return <div style={{ maxWidth: 1120, margin: '0 auto' }}>{shareId ? <SharedCredentialView shareId={shareId} /> : <PasteAndVerify />}</div>;
}

function PasteAndVerify() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const verify = useMutation({
    mutationFn: (credential: unknown) => verifyCredential(credential),
    // the answer may be below the fold under a long paste: bring it into view
    onSuccess: () =>
      setTimeout(() => {
        const top = resultRef.current?.getBoundingClientRect().top;
        if (top !== undefined && top > window.innerHeight - 160) resultRef.current?.scrollIntoView({ block: 'start' });
      }, 50),
  });

  const submit = (value = text) => {
    if (!value.trim()) {
      setParseError(t('credentials.verify.empty'));
      verify.reset();
      return;
    }
    const parsed = parseJson(value);
    if (!parsed.ok) {
      // nothing is sent: the text is not JSON
      setParseError(t('credentials.verify.notJson', { message: parsed.message }));
      verify.reset();
      return;
    }
    setParseError(null);
    verify.mutate(parsed.value);
  };

  const readFile = (file: File) => {
    void file.text().then((content) => {
      setText(content);
      setFileName(file.name);
      submit(content);
    });
    return false; // read here, never uploaded
  };

  return (
    <>
      <PageHeader title={t('credentials.verify.title')} subtitle={t('credentials.verify.subtitle')} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Form layout="vertical" onFinish={() => submit()}>
            <Form.Item
              label={t('credentials.verify.pasteLabel')}
              validateStatus={parseError ? 'error' : undefined}
              help={parseError ? <span data-testid="verify-parse-error">{parseError}</span> : t('credentials.verify.pasteHelp')}
              style={{ marginBottom: 16 }}
            >
              <Input.TextArea
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setFileName(null);
                  if (parseError) setParseError(null);
                }}
                rows={10}
                spellCheck={false}
                placeholder={t('credentials.verify.placeholder')}
                className="cb-mono"
                style={{ fontSize: 12 }}
                aria-label={t('credentials.verify.pasteLabel')}
                data-testid="verify-input"
              />
            </Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" icon={<FileSearchOutlined />} loading={verify.isPending} data-testid="verify-submit">
                {t('credentials.verify.submit')}
              </Button>
              <Upload accept=".json,application/json,application/ld+json" showUploadList={false} beforeUpload={readFile} maxCount={1}>
                <Button icon={<UploadOutlined />} data-testid="verify-file">
                  {t('credentials.verify.chooseFile')}
                </Button>
              </Upload>
              {fileName && <Typography.Text type="secondary">{t('credentials.verify.fileRead', { name: fileName })}</Typography.Text>}
              {(text || verify.data) && (
                <Button
                  type="text"
                  icon={<ClearOutlined />}
                  onClick={() => {
                    setText('');
                    setFileName(null);
                    setParseError(null);
                    verify.reset();
                  }}
                  data-testid="verify-clear"
                >
                  {t('credentials.verify.clear')}
                </Button>
              )}
            </Space>
          </Form>
        </Card>
        <div ref={resultRef} style={{ scrollMarginTop: 72 }}>
          {verify.isError && <ErrorAlert error={verify.error} title={t('credentials.verify.failed')} />}
          {verify.data && !verify.isPending && <VerificationCard v={verify.data} name={nameOf(verify.variables)} hidden={hashedIdentities(verify.variables)} />}
        </div>
      </Space>
    </>
  );
}

function SharedCredentialView({ shareId }: { shareId: string }) {
  const { t } = useTranslation();
  const shared = useQuery({
    queryKey: ['credentials', 'share', shareId],
    queryFn: ({ signal }) => api.get('/shares/{id}', { params: { id: shareId }, signal }),
    staleTime: 0,
    retry: false,
  });
  const name = nameOf(shared.data?.credential) ?? 'credential';

  return (
    <>
      <PageHeader
        title={t('credentials.verify.sharedTitle')}
        subtitle={shared.isError ? undefined : t('credentials.verify.sharedSubtitle')}
        extra={
          <Link to="/verify">
            <Button icon={<SafetyCertificateOutlined />} data-testid="verify-other">
              {t('credentials.verify.another')}
            </Button>
          </Link>
        }
      />
      {shared.isPending && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {shared.isError &&
        (shared.error instanceof ApiError && shared.error.status === 404 ? (
          <Card data-testid="share-gone">
            <Result status="warning" title={t('credentials.verify.gone')} subTitle={<span data-testid="share-gone-why">{goneWhy(t, shared.error)}</span>} />
          </Card>
        ) : (
          <ErrorAlert error={shared.error} />
        ))}
      {shared.data && (
        <VerificationCard
          v={shared.data.verification}
          name={nameOf(shared.data.credential)}
          hidden={hashedIdentities(shared.data.credential)}
          extra={
            <Button icon={<DownloadOutlined />} onClick={() => downloadJson(shared.data.credential, name)} data-testid="verify-download">
              {t('credentials.downloadJson')}
            </Button>
          }
          footer={
            <Space direction="vertical" size={4} style={{ marginTop: 16 }}>
              {shared.data.log ? (
                <Typography.Text data-testid="verify-log" data-index={shared.data.log.index}>
                  {t('credentials.verify.logEntry', { index: shared.data.log.index, size: shared.data.log.size })}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary" data-testid="verify-log-missing">
                  {t('credentials.verify.logMissing')}
                </Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="verify-link-expires">
                {t('credentials.verify.linkExpires', { date: formatDateTime(shared.data.expiresAt) })}
              </Typography.Text>
            </Space>
          }
        />
      )}
    </>
  );
}
