// The learner's verifiable credentials (我的可验证凭证): signed copies of approved awards, certified
// learning and passing course results, asked for one by one, and transcripts of an institution's
// results; each shared through expiring links (with a QR code and a printable PDF) or downloaded as
// JSON for any verifier. A record whose credential the issuer revoked gets no new one here: the
// learner is sent to the registrar.
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Checkbox, Empty, Grid, List, Modal, Radio, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  CopyOutlined,
  DownloadOutlined,
  EyeInvisibleOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  InfoCircleOutlined,
  LinkOutlined,
  SafetyCertificateOutlined,
  ShareAltOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import {
  MY_CREDENTIALS_KEY,
  credentialPdfUrl,
  downloadJson,
  isLiveShare,
  shareLink,
  type Credential,
  type LearnerCredentialKind,
  type Share,
} from '../../api/credentials';
import type { CreditUnit } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { resultText } from '../../components/ResultGrade';
import { formatDate, formatDateTime, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useMyCertifications } from '../certification/MyCertificationsPage';
import { useMyTransfers } from '../transfers/common';
import { termText } from '../qualifications/common';
import { CredentialStatusTag, KindTag, StatusReason } from './common';
import { hasLiveCredential, stoppedAt, stoppedCredentialOf, transcriptSize, transcriptSources, type TranscriptSource } from './records';

const SHARE_DAYS = [7, 30, 90, 365] as const;
/** The kinds the bank can re-sign with the name hidden (a transcript's signed parts name the learner). */
const HIDEABLE_KINDS: readonly string[] = ['award', 'outcome', 'certification', 'transfer'];

/** A share link that serves the credential with the learner's name as salted hashes. */
function NameHiddenTag() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('credentials.share.nameHiddenHelp')}>
      <Tag icon={<EyeInvisibleOutlined />} bordered={false} data-testid="share-name-hidden">
        {t('credentials.share.nameHidden')}
      </Tag>
    </Tooltip>
  );
}

/** Copies text: the Clipboard API where the page may use it, else a hidden selection. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** A record the learner may get a signed credential for. */
interface Claimable {
  kind: 'award' | 'outcome' | 'certification' | 'transfer';
  /** The record's credential subject: the record's id, or for a transferred credit the id derived from its line. */
  id: string;
  /** What the bank is asked for: the record, or the transfer application and its line. */
  request: { id: string; line?: number };
  code: string;
  title: string;
  /** The institution that issues it; null for learning certified by the committee (no institution signs it). */
  institution: string | null;
  /** For certified learning: who issued the certificate, and its number. */
  detail: string | null;
  credits: string;
  unit: CreditUnit;
  /** When it was awarded, certified or completed, and the term and grade of a course. */
  date: string | null;
  term: string | null;
  grade: string | null;
  /** The credential the issuer revoked for this record: no new one is issued until its registrar has looked at it. */
  stopped: Credential | null;
}

function useMyCredentials() {
  return useQuery({
    queryKey: MY_CREDENTIALS_KEY,
    queryFn: ({ signal }) => api.get('/me/credentials', { signal }),
  });
}

/** A QR code of the link, drawn in the browser. */
function QrImage({ text }: { text: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(text, { margin: 1, width: 176, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [text]);
  return src ? (
    <img
      src={src}
      width={176}
      height={176}
      alt={t('credentials.share.qrAlt')}
      data-testid="share-qr"
      style={{ border: '1px solid #f0f0f0', borderRadius: 6 }}
    />
  ) : (
    <div style={{ width: 176, height: 176, background: '#fafafa', borderRadius: 6 }} />
  );
}

/** Make a link for 7/30/90/365 days, copy it or scan it; see the links still open and take them back. */
function ShareModal({ credential, onClose }: { credential: Credential; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number>(30);
  const hideable = HIDEABLE_KINDS.includes(credential.kind);
  const [hideName, setHideName] = useState(false);
  const [created, setCreated] = useState<Share | null>(null);
  const mine = useMyCredentials();
  // the live list comes from the server; the link just made shows at once
  const current = mine.data?.items.find((c) => c.id === credential.id) ?? credential;
  const live = current.shares.filter((s) => isLiveShare(s));
  if (created && !live.some((s) => s.id === created.id) && isLiveShare(created)) live.unshift(created);

  const create = useMutation({
    mutationFn: () => api.post('/credentials/{id}/shares', { params: { id: credential.id }, body: { days, hideName: hideable && hideName } }),
    onSuccess: (share) => {
      setCreated(share);
      void queryClient.invalidateQueries({ queryKey: MY_CREDENTIALS_KEY });
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => api.post('/shares/{id}/withdraw', { params: { id } }),
    onSuccess: (share) => {
      void message.success(t('credentials.share.withdrawn'));
      if (created?.id === share.id) setCreated(null);
      void queryClient.invalidateQueries({ queryKey: MY_CREDENTIALS_KEY });
    },
  });

  return (
    <Modal
      open
      width={840}
      title={t('credentials.share.title', { name: credential.name })}
      onCancel={onClose}
      footer={
        <Button onClick={onClose} data-testid="share-close">
          {t('credentials.share.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="share-modal">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('credentials.share.help')}
        </Typography.Paragraph>
        {credential.status !== 'active' && <Alert type="warning" showIcon message={t(`credentials.share.notActive.${credential.status}`)} />}
        {credential.status !== 'revoked' && (
          <Space wrap>
            <Typography.Text>{t('credentials.share.validFor')}</Typography.Text>
            <Radio.Group
              optionType="button"
              value={days}
              onChange={(e) => setDays(e.target.value as number)}
              options={SHARE_DAYS.map((d) => ({ value: d, label: t('credentials.share.days', { count: d }) }))}
              data-testid="share-days"
            />
            <Button type="primary" icon={<LinkOutlined />} loading={create.isPending} onClick={() => create.mutate()} data-testid="share-create">
              {t('credentials.share.create')}
            </Button>
          </Space>
        )}
        {credential.status !== 'revoked' && (
          <div>
            <Checkbox checked={hideable && hideName} disabled={!hideable} onChange={(e) => setHideName(e.target.checked)} data-testid="share-hide-name">
              {t('credentials.share.hideName')}
            </Checkbox>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0 24px', fontSize: 12 }}>
              {hideable ? t('credentials.share.hideNameHelp') : t('credentials.share.hideNameUnavailable')}
            </Typography.Paragraph>
          </div>
        )}
        {create.isError && <ErrorAlert error={create.error} title={t('credentials.share.createFailed')} />}
        {created && (
          <Card size="small" style={{ background: '#f6ffed', borderColor: '#b7eb8f' }} data-testid="share-created">
            <div style={{ display: 'flex', gap: 16, alignItems: 'center', flexWrap: 'wrap' }}>
              <QrImage text={shareLink(created.id)} />
              <Space direction="vertical" size={6} style={{ flex: '1 1 260px', minWidth: 0 }}>
                <Space size={8} wrap>
                  <Typography.Text strong>{t('credentials.share.ready')}</Typography.Text>
                  {created.hideName && <NameHiddenTag />}
                </Space>
                <Typography.Paragraph className="cb-mono" style={{ marginBottom: 0, wordBreak: 'break-all' }} data-testid="share-link">
                  {shareLink(created.id)}
                </Typography.Paragraph>
                <Space size={12} wrap>
                  <Button
                    size="small"
                    icon={<CopyOutlined />}
                    onClick={() =>
                      void copyText(shareLink(created.id)).then(
                        () => message.success(t('credentials.share.copied')),
                        () => message.error(t('credentials.share.copyFailed')),
                      )
                    }
                    data-testid="share-copy"
                  >
                    {t('credentials.share.copy')}
                  </Button>
                  <Button size="small" icon={<FilePdfOutlined />} href={credentialPdfUrl(credential.id, created.id)} download data-testid="share-created-pdf">
                    {t('credentials.share.pdf')}
                  </Button>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('credentials.share.expires', { date: formatDateTime(created.expiresAt) })}
                  </Typography.Text>
                </Space>
              </Space>
            </div>
          </Card>
        )}
        <div>
          <Typography.Text strong>{t('credentials.share.liveLinks')}</Typography.Text>
          {live.length === 0 ? (
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
              {t('credentials.share.noLinks')}
            </Typography.Paragraph>
          ) : (
            <Table<Share>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={live}
              style={{ marginTop: 6 }}
              onRow={(s) => ({ 'data-testid': 'share-row', 'data-share': s.id }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                {
                  title: t('credentials.share.link'),
                  key: 'link',
                  render: (_, s) => (
                    <Space size={4} wrap>
                      <Typography.Text
                        copyable={{ text: shareLink(s.id), tooltips: [t('common.copy'), t('common.copied')] }}
                        ellipsis={{ tooltip: shareLink(s.id) }}
                        className="cb-mono"
                        style={{ fontSize: 12, maxWidth: 230 }}
                      >
                        {shareLink(s.id)}
                      </Typography.Text>
                      {s.hideName && <NameHiddenTag />}
                    </Space>
                  ),
                },
                {
                  title: t('credentials.share.createdAt'),
                  dataIndex: 'createdAt',
                  width: 140,
                  render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span>,
                },
                {
                  title: t('credentials.share.expiresAt'),
                  dataIndex: 'expiresAt',
                  width: 140,
                  render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span>,
                },
                {
                  title: '',
                  key: 'actions',
                  width: current.status === 'revoked' ? 90 : 200,
                  align: 'right',
                  render: (_, s) => (
                    <Space size={6}>
                      {/* a printable copy whose QR code opens this link; a revoked credential is not printed */}
                      {current.status !== 'revoked' && (
                        <Tooltip title={t('credentials.share.pdfHelp')}>
                          <Button size="small" icon={<FilePdfOutlined />} href={credentialPdfUrl(credential.id, s.id)} download data-testid="share-pdf">
                            {t('credentials.share.pdf')}
                          </Button>
                        </Tooltip>
                      )}
                      <Button
                        size="small"
                        danger
                        icon={<StopOutlined />}
                        loading={withdraw.isPending && withdraw.variables === s.id}
                        onClick={() => withdraw.mutate(s.id)}
                        data-testid="share-withdraw"
                      >
                        {t('credentials.share.withdraw')}
                      </Button>
                    </Space>
                  ),
                },
              ]}
            />
          )}
          {withdraw.isError && <ErrorAlert error={withdraw.error} style={{ marginTop: 8 }} />}
        </div>
      </Space>
    </Modal>
  );
}

/** Where a record or transcript stands when the issuer stopped one of its credentials: what happened, and whom to ask. */
function StoppedNote({ c, testId = 'claim-revoked-before' }: { c: Credential; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid={testId} data-status={c.status}>
      {t(`credentials.mine.stoppedBefore.${c.status === 'revoked' ? 'revoked' : 'suspended'}`, {
        date: formatDate(stoppedAt(c)),
        reason: c.statusReason ?? '—',
      })}
    </Typography.Text>
  );
}

/** In place of "Get signed credential" when the issuer stopped the record's credential: the registrar decides. */
function AskRegistrar({ institution, transcript = false }: { institution: string | null; transcript?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(transcript ? 'credentials.transcript.askRegistrarHelp' : 'credentials.mine.askRegistrarHelp')}>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'inline-block', maxWidth: 170, textAlign: 'left' }} data-testid="claim-ask-registrar">
        <InfoCircleOutlined style={{ marginInlineEnd: 4 }} />
        {transcript
          ? t('credentials.transcript.askRegistrar', { institution })
          : institution
            ? t('credentials.mine.askRegistrar', { institution })
            : t('credentials.mine.askRegistrarAny')}
      </Typography.Text>
    </Tooltip>
  );
}

export function MyCredentialsPage() {
  const { t } = useTranslation();
  // a phone shows each credential and record as a card (one column: what, its state, its actions)
  const phone = Grid.useBreakpoint().sm === false;
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [sharing, setSharing] = useState<Credential | null>(null);

  const credentials = useMyCredentials();
  const awards = useQuery({
    queryKey: ['qualifications', 'my-awards'],
    queryFn: ({ signal }) => api.get('/me/awards', { signal }),
  });
  const account = useQuery({
    queryKey: ['account', '/me/account'],
    queryFn: ({ signal }) => api.get('/me/account', { signal }),
  });
  const certifications = useMyCertifications();
  const transfers = useMyTransfers();

  const onIssued = (c: Credential) => {
    void message.success(
      c.kind === 'transcript'
        ? t('credentials.transcript.issued', { name: c.name, count: transcriptSize(c.document) })
        : t('credentials.mine.issued', { name: c.name }),
    );
    queryClient.setQueryData<{ items: Credential[] }>(MY_CREDENTIALS_KEY, (old) =>
      old && !old.items.some((x) => x.id === c.id) ? { items: [c, ...old.items] } : old,
    );
    void queryClient.invalidateQueries({ queryKey: MY_CREDENTIALS_KEY });
  };
  const post = (kind: LearnerCredentialKind, id: string, line?: number) => api.post('/me/credentials', { body: { kind, id, ...(line ? { line } : {}) } });
  const issue = useMutation({ mutationFn: (c: Pick<Claimable, 'kind' | 'id' | 'request'>) => post(c.kind, c.request.id, c.request.line), onSuccess: onIssued });
  const transcript = useMutation({ mutationFn: (institutionId: string) => post('transcript', institutionId), onSuccess: onIssued });
  const busy = issue.isPending || transcript.isPending;

  const items = useMemo(() => credentials.data?.items ?? [], [credentials.data]);
  const claimable = useMemo<Claimable[]>(() => {
    const out: Claimable[] = [];
    const open = (id: string) => !hasLiveCredential(items, id);
    for (const a of awards.data?.items ?? []) {
      if (a.status !== 'approved' || !open(a.id)) continue;
      out.push({
        kind: 'award',
        id: a.id,
        request: { id: a.id },
        code: a.programme.code,
        title: localName(lang, a.programme.titleZh, a.programme.titleEn),
        institution: localName(lang, a.programme.institution.nameZh, a.programme.institution.nameEn),
        detail: null,
        credits: a.credits,
        unit: a.unit,
        date: a.decidedAt,
        term: null,
        grade: null,
        stopped: stoppedCredentialOf(items, a.id),
      });
    }
    for (const c of certifications.data?.items ?? []) {
      if (c.status !== 'approved' || !c.creditsGranted || !open(c.id)) continue;
      out.push({
        kind: 'certification',
        id: c.id,
        request: { id: c.id },
        code: c.standard?.code ?? '',
        // the standard's name in the UI language; an individually assessed outcome has only its own title
        title: c.standard ? localName(lang, c.standard.nameZh, c.standard.nameEn) : c.title,
        institution: c.institution ? localName(lang, c.institution.nameZh, c.institution.nameEn) : null,
        detail: [c.issuingBody, c.certificateNo].filter(Boolean).join(' · '),
        credits: c.creditsGranted,
        unit: c.unit,
        date: c.decidedAt,
        term: null,
        grade: null,
        stopped: stoppedCredentialOf(items, c.id),
      });
    }
    const outcomes = [...(account.data?.outcomes ?? [])]
      .filter((o) => o.status === 'recorded' && o.passed && open(o.id))
      .sort((x, y) => y.completedOn.localeCompare(x.completedOn) || x.courseCode.localeCompare(y.courseCode));
    for (const o of outcomes) {
      out.push({
        kind: 'outcome',
        id: o.id,
        request: { id: o.id },
        code: o.courseCode,
        title: localName(lang, o.courseTitleZh, o.courseTitleEn),
        institution: localName(lang, o.institutionNameZh, o.institutionNameEn),
        detail: null,
        credits: o.credits,
        unit: o.unit,
        date: o.completedOn,
        term: o.term,
        // a pass without a grade (免修) says so
        grade: o.grade ?? resultText(t, o),
        stopped: stoppedCredentialOf(items, o.id),
      });
    }
    for (const tr of transfers.data?.items ?? []) {
      for (const l of tr.lines) {
        if ((l.status !== 'accepted' && l.status !== 'substituted') || !l.credits || !l.unit || !open(l.credentialSubject)) continue;
        const into =
          l.target?.kind === 'courses'
            ? l.target.courses.map((c) => `${c.code} ${localName(lang, c.titleZh, c.titleEn)}`).join(' + ')
            : t('credentials.mine.electiveCredits', { category: l.target?.category ?? '' });
        out.push({
          kind: 'transfer',
          id: l.credentialSubject,
          request: { id: tr.id, line: l.lineNo },
          code: '',
          title: into,
          institution: localName(lang, tr.targetInstitution.nameZh, tr.targetInstitution.nameEn),
          detail: t('credentials.mine.transferredFrom', {
            institution: localName(lang, l.sourceInstitution.nameZh, l.sourceInstitution.nameEn),
            course: `${l.course.code} ${localName(lang, l.course.titleZh, l.course.titleEn)}`,
          }),
          credits: l.credits,
          unit: l.unit,
          date: l.decidedAt,
          term: null,
          grade: l.convertedGrade,
          stopped: stoppedCredentialOf(items, l.credentialSubject),
        });
      }
    }
    return out;
  }, [items, awards.data, certifications.data, account.data, transfers.data, lang, t]);
  const sources = useMemo(() => transcriptSources(account.data?.outcomes ?? [], items), [account.data, items]);

  const credentialStatus = (c: Credential) => (
    <Space direction="vertical" size={2}>
      <CredentialStatusTag status={c.status} />
      {c.status !== 'active' && <StatusReason reason={c.statusReason} at={c.events.at(-1)?.at} />}
    </Space>
  );
  const credentialActions = (c: Credential) => (
    <Space size={6} wrap>
      {c.status !== 'revoked' ? (
        <Button size="small" type="primary" ghost icon={<ShareAltOutlined />} onClick={() => setSharing(c)} data-testid="credential-share">
          {t('credentials.share.button')}
        </Button>
      ) : (
        // a revoked credential is not shared again; links already out can still be taken back
        c.shares.some((s) => isLiveShare(s)) && (
          <Button size="small" icon={<StopOutlined />} onClick={() => setSharing(c)} data-testid="credential-share">
            {t('credentials.share.manage')}
          </Button>
        )
      )}
      <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadJson(c.document, c.name)} data-testid="credential-download">
        {t('credentials.downloadJson')}
      </Button>
    </Space>
  );

  const credentialName = (c: Credential) => (
    <Space direction="vertical" size={2}>
      <Typography.Text strong data-testid="credential-name">
        {c.name}
      </Typography.Text>
      <Space size={6} wrap>
        <KindTag kind={c.kind} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {localName(lang, c.institution.nameZh, c.institution.nameEn)}
        </Typography.Text>
        {c.kind === 'transcript' && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="credential-transcript-size">
            {t('credentials.transcript.size', { count: transcriptSize(c.document) })}
          </Typography.Text>
        )}
        {/* "signed", in words: the signature suite's name means nothing to a learner (the verify page names it) */}
        <Tooltip title={t('credentials.signedHelp')}>
          <Tag
            icon={<SafetyCertificateOutlined />}
            color="success"
            bordered={false}
            style={{ fontSize: 12, marginInlineEnd: 0 }}
            data-testid="credential-suite"
            data-suite={c.cryptosuite}
          >
            {t('credentials.signed')}
          </Tag>
        </Tooltip>
      </Space>
    </Space>
  );

  const columns: ColumnsType<Credential> = [
    { title: t('credentials.col.credential'), key: 'name', render: (_, c) => credentialName(c) },
    {
      title: t('credentials.col.credits'),
      key: 'credits',
      align: 'right',
      width: 90,
      render: (_, c) => <span className="cb-num">{c.creditsEarned === null ? '—' : formatDecimal(c.creditsEarned)}</span>,
    },
    {
      title: t('credentials.col.status'),
      key: 'status',
      width: 200,
      render: (_, c) => credentialStatus(c),
    },
    { title: t('credentials.col.issuedAt'), dataIndex: 'issuedAt', width: 140, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
    {
      title: t('credentials.col.links'),
      key: 'links',
      width: 110,
      render: (_, c) => {
        const n = c.shares.filter((s) => isLiveShare(s)).length;
        return n > 0 ? (
          <Tag color="blue" bordered={false} data-testid="credential-links">
            {t('credentials.mine.liveLinks', { count: n })}
          </Tag>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        );
      },
    },
    { title: t('common.actions'), key: 'actions', width: 200, render: (_, c) => credentialActions(c) },
  ];
  const phoneColumns: ColumnsType<Credential> = [
    {
      title: t('credentials.col.credential'),
      key: 'card',
      render: (_, c) => (
        <Space direction="vertical" size={6} style={{ width: '100%' }} data-testid="credential-card">
          {credentialName(c)}
          {credentialStatus(c)}
          <Typography.Text type="secondary" style={{ fontSize: 12 }} className="cb-num">
            {[
              formatDateTime(c.issuedAt),
              c.creditsEarned === null ? null : `${formatDecimal(c.creditsEarned)} ${t('credentials.col.credits')}`,
              c.shares.some((sh) => isLiveShare(sh)) ? t('credentials.mine.liveLinks', { count: c.shares.filter((sh) => isLiveShare(sh)).length }) : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
          {credentialActions(c)}
        </Space>
      ),
    },
  ];

  const claimRecord = (r: Claimable) => (
    <Space direction="vertical" size={2}>
      <span>
        {r.code && <span className="cb-mono">{r.code}</span>} {r.title}
      </span>
      <Space size={6} wrap>
        <KindTag kind={r.kind} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {r.institution ?? t('credentials.mine.byCommittee')}
        </Typography.Text>
        {r.detail && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.detail}
          </Typography.Text>
        )}
      </Space>
      {r.stopped && <StoppedNote c={r.stopped} />}
    </Space>
  );
  const claimWhen = (r: Claimable) => (
    <Space direction="vertical" size={0}>
      <span className="cb-num">{formatDate(r.date)}</span>
      {r.term && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {termText(t, r.term)}
        </Typography.Text>
      )}
    </Space>
  );
  const claimCredits = (r: Claimable) => (
    <span className="cb-num cb-nowrap">
      {formatDecimal(r.credits)} <Typography.Text type="secondary">{t(`unitLabel.${r.unit}`)}</Typography.Text>
    </span>
  );
  const claimAction = (r: Claimable) =>
    r.stopped ? (
      <AskRegistrar institution={r.institution} />
    ) : (
      <Button
        size="small"
        type={r.kind === 'award' ? 'primary' : 'default'}
        icon={<SafetyCertificateOutlined />}
        loading={issue.isPending && issue.variables?.id === r.id}
        disabled={busy && issue.variables?.id !== r.id}
        onClick={() => issue.mutate(r)}
        data-testid="claim-issue"
      >
        {t('credentials.mine.issue')}
      </Button>
    );

  const claimColumns: ColumnsType<Claimable> = [
    {
      title: t('credentials.col.record'),
      key: 'record',
      render: (_, r) => claimRecord(r),
    },
    {
      title: t('credentials.col.when'),
      key: 'when',
      width: 210,
      render: (_, r) => claimWhen(r),
    },
    { title: t('credentials.col.grade'), dataIndex: 'grade', width: 80, align: 'center', render: (g: string | null) => g ?? '—' },
    {
      title: t('credentials.col.credits'),
      key: 'credits',
      align: 'right',
      width: 100,
      render: (_, r) => claimCredits(r),
    },
    {
      title: '',
      key: 'action',
      width: 190,
      align: 'right',
      render: (_, r) => claimAction(r),
    },
  ];

  const claimPhoneColumns: ColumnsType<Claimable> = [
    {
      title: t('credentials.col.record'),
      key: 'card',
      render: (_, r) => (
        <Space direction="vertical" size={6} style={{ width: '100%' }} data-testid="claim-card-item">
          {claimRecord(r)}
          <Space size={8} wrap>
            {claimWhen(r)}
            {r.grade && <Typography.Text type="secondary">{r.grade}</Typography.Text>}
            {claimCredits(r)}
          </Space>
          {claimAction(r)}
        </Space>
      ),
    },
  ];

  const loading = credentials.isPending || awards.isPending || account.isPending || certifications.isPending || transfers.isPending;

  const transcriptSource = (src: TranscriptSource) => {
    const name = localName(lang, src.institution.nameZh, src.institution.nameEn);
    const credits = src.credits.map((c) => `${formatDecimal(c.amount)} ${t(`unitLabel.${c.unit}`)}`).join(' + ');
    return (
      <List.Item
        data-testid="transcript-source"
        data-institution={src.institution.code}
        actions={[
          src.blockedBy ? (
            <AskRegistrar key="ask" institution={name} transcript />
          ) : (
            <Button
              key="get"
              icon={<FileTextOutlined />}
              loading={transcript.isPending && transcript.variables === src.institution.id}
              disabled={busy && transcript.variables !== src.institution.id}
              onClick={() => transcript.mutate(src.institution.id)}
              data-testid="transcript-issue"
            >
              {t('credentials.transcript.get', { institution: name })}
            </Button>
          ),
        ]}
      >
        <List.Item.Meta
          title={name}
          description={
            <Space direction="vertical" size={0}>
              <Typography.Text type="secondary" className="cb-num">
                {t('credentials.transcript.summary', { count: src.results, credits })}
                {src.lastIssuedAt && ` · ${t('credentials.transcript.last', { date: formatDateTime(src.lastIssuedAt) })}`}
              </Typography.Text>
              {src.blockedBy && (
                <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="transcript-blocked">
                  {t(`credentials.transcript.blocked.${src.blockedBy.status === 'revoked' ? 'revoked' : 'suspended'}`, {
                    name: src.blockedBy.name,
                    date: formatDate(stoppedAt(src.blockedBy)),
                    reason: src.blockedBy.statusReason ?? '—',
                  })}
                </Typography.Text>
              )}
            </Space>
          }
        />
      </List.Item>
    );
  };

  return (
    <>
      <PageHeader
        title={t('credentials.nav.mine')}
        subtitle={t('credentials.mine.what')}
        extra={
          <Link to="/verify">
            <Button icon={<SafetyCertificateOutlined />}>{t('credentials.nav.verify')}</Button>
          </Link>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {credentials.isError && <ErrorAlert error={credentials.error} />}
        <Card
          title={t('credentials.mine.issuedTitle')}
          extra={<Typography.Text type="secondary">{t('credentials.mine.count', { count: items.length })}</Typography.Text>}
        >
          <Table<Credential>
            data-testid="credential-table"
            rowKey="id"
            size="middle"
            columns={phone ? phoneColumns : columns}
            dataSource={items}
            loading={credentials.isPending}
            pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
            scroll={phone ? undefined : { x: 1000 }}
            rowClassName={(c) => (c.status === 'revoked' ? 'cb-row-muted' : '')}
            onRow={(c) =>
              ({ 'data-testid': 'credential-row', 'data-kind': c.kind, 'data-status': c.status, 'data-id': c.id }) as React.HTMLAttributes<HTMLElement>
            }
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credentials.mine.none')} /> }}
          />
        </Card>
        <Card title={t('credentials.transcript.title')} data-testid="transcript-card">
          <Typography.Paragraph type="secondary">{t('credentials.transcript.help')}</Typography.Paragraph>
          {transcript.isError && <ErrorAlert error={transcript.error} title={t('credentials.transcript.failed')} style={{ marginBottom: 12 }} />}
          {account.isPending || credentials.isPending ? (
            <Skeleton active paragraph={{ rows: 2 }} />
          ) : sources.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credentials.transcript.none')} />
          ) : (
            <List size="small" className="cb-wrap-actions" dataSource={sources} rowKey={(src) => src.institution.id} renderItem={transcriptSource} />
          )}
        </Card>
        <Card title={t('credentials.mine.claimTitle')} data-testid="claim-card">
          <Typography.Paragraph type="secondary">{t('credentials.mine.claimHelp')}</Typography.Paragraph>
          {awards.isError && <ErrorAlert error={awards.error} style={{ marginBottom: 12 }} />}
          {certifications.isError && <ErrorAlert error={certifications.error} style={{ marginBottom: 12 }} />}
          {account.isError && <ErrorAlert error={account.error} style={{ marginBottom: 12 }} />}
          {issue.isError && <ErrorAlert error={issue.error} title={t('credentials.mine.issueFailed')} style={{ marginBottom: 12 }} />}
          {loading ? (
            <Skeleton active paragraph={{ rows: 4 }} />
          ) : (
            <Table<Claimable>
              data-testid="claim-table"
              rowKey="id"
              size="middle"
              columns={phone ? claimPhoneColumns : claimColumns}
              dataSource={claimable}
              pagination={{ defaultPageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
              scroll={phone ? undefined : { x: 900 }}
              onRow={(r) =>
                ({
                  'data-testid': 'claim-row',
                  'data-kind': r.kind,
                  'data-code': r.code,
                  'data-id': r.id,
                  'data-stopped': r.stopped ? r.stopped.status : undefined,
                }) as React.HTMLAttributes<HTMLElement>
              }
              locale={{
                emptyText: (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t(items.length > 0 ? 'credentials.mine.nothingToClaim' : 'credentials.mine.nothingYet')}
                  />
                ),
              }}
            />
          )}
        </Card>
      </Space>
      {sharing && <ShareModal credential={sharing} onClose={() => setSharing(null)} />}
    </>
  );
}
