// Under a learner's own audit: the "expected to graduate" statement and the award application.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Modal, Row, Skeleton, Space, Typography } from 'antd';
import { FileTextOutlined, PrinterOutlined, TrophyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditView, AwardView } from '../../api/qualifications';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { formatDate, formatDateTime, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { amountText, AwardStatusTag, isLiveAward } from './common';
import { auditUnit } from './AuditPanel';

/** Prints only the statement, not the page around it. */
const PRINT_CSS = `@media print {
  body * { visibility: hidden !important; }
  .cb-print, .cb-print * { visibility: visible !important; }
  .cb-print { position: fixed; inset: 0; padding: 48px; background: #fff; }
}`;

function StatementModal({ audit, onClose }: { audit: AuditView; onClose: () => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const statement = useQuery({
    queryKey: ['qualifications', 'expected', audit.programme.id],
    queryFn: ({ signal }) => api.get('/me/expected-graduation', { query: { programme: audit.programme.id }, signal }),
  });
  const unit = t(`unitLabel.${auditUnit(audit)}`);
  const s = statement.data;
  return (
    <Modal
      open
      width={720}
      title={t('qualification.expected.modalTitle')}
      onCancel={onClose}
      footer={
        <Space>
          <Button onClick={onClose}>{t('qualification.close')}</Button>
          <Button type="primary" icon={<PrinterOutlined />} disabled={!s} onClick={() => window.print()} data-testid="expected-print">
            {t('qualification.expected.print')}
          </Button>
        </Space>
      }
    >
      <style>{PRINT_CSS}</style>
      {statement.isPending && <Skeleton active />}
      {statement.isError && <ErrorAlert error={statement.error} />}
      {s && (
        <div
          className="cb-print"
          data-testid="expected-statement-body"
          style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: '32px 40px', background: '#fffdf7' }}
        >
          <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>
            {t('qualification.expected.statementTitle')}
          </Typography.Title>
          <Typography.Paragraph style={{ fontSize: 16, lineHeight: 2, textIndent: lang === 'en' ? 0 : '2em' }}>
            {t('qualification.expected.statementBody', {
              name: s.learner.fullName,
              accountNo: s.learner.accountNo,
              institution: localName(lang, s.programme.institution.nameZh, s.programme.institution.nameEn),
              programme: localName(lang, s.programme.titleZh, s.programme.titleEn),
              qualification: t(`qualification.qualificationName.${s.programme.qualification}`),
              credits: formatDecimal(s.credits),
              threshold: formatDecimal(s.threshold),
              unit,
            })}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('qualification.expected.statementNote')}</Typography.Paragraph>
          <div style={{ textAlign: 'right', marginTop: 32 }}>
            <div>{t('app.name')}</div>
            <div className="cb-num">{t('qualification.expected.issuedOn', { date: formatDate(s.issuedOn) })}</div>
          </div>
        </div>
      )}
    </Modal>
  );
}

function ExpectedCard({ audit }: { audit: AuditView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const e = audit.expected;
  if (!e) return null;
  const unit = t(`unitLabel.${auditUnit(audit)}`);
  return (
    <Card
      title={
        <Space>
          <FileTextOutlined />
          {t('qualification.expected.title')}
        </Space>
      }
      style={{ height: '100%' }}
      data-testid="expected-card"
      data-eligible={e.eligible ? 'true' : 'false'}
    >
      <Typography.Paragraph>
        {e.eligible
          ? t('qualification.expected.eligible', { credits: formatDecimal(e.credits), threshold: formatDecimal(e.threshold), unit })
          : t('qualification.expected.notYet', { credits: formatDecimal(e.credits), threshold: formatDecimal(e.threshold), unit })}
      </Typography.Paragraph>
      {e.eligible && (
        <Button icon={<FileTextOutlined />} onClick={() => setOpen(true)} data-testid="expected-statement">
          {t('qualification.expected.open')}
        </Button>
      )}
      {open && <StatementModal audit={audit} onClose={() => setOpen(false)} />}
    </Card>
  );
}

function AwardCard({ audit }: { audit: AuditView }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [applied, setApplied] = useState<AwardView | null>(null);
  const award = applied && (!audit.award || audit.award.appliedAt <= applied.appliedAt) ? applied : audit.award;
  const apply = useMutation({
    mutationFn: () => api.post('/me/awards', { body: { programmeId: audit.programme.id } }),
    onSuccess: (a) => {
      setApplied(a);
      void message.success(t('qualification.award.appliedMessage'));
      void queryClient.invalidateQueries({ queryKey: ['qualifications'] });
    },
  });
  const canApply = audit.complete && !isLiveAward(award);
  return (
    <Card
      title={
        <Space>
          <TrophyOutlined />
          {t('qualification.award.title')}
        </Space>
      }
      style={{ height: '100%' }}
      data-testid="award-card"
    >
      {award && (
        <Descriptions size="small" column={1} style={{ marginBottom: canApply ? 12 : 0 }}>
          <Descriptions.Item label={t('qualification.award.status')}>
            <AwardStatusTag status={award.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('qualification.award.appliedAt')}>
            <span className="cb-num">{formatDateTime(award.appliedAt)}</span>
          </Descriptions.Item>
          {award.decidedAt && (
            <Descriptions.Item label={t('qualification.award.decidedAt')}>
              <span className="cb-num">{formatDateTime(award.decidedAt)}</span>
            </Descriptions.Item>
          )}
          {award.reason && <Descriptions.Item label={t('qualification.award.reason')}>{award.reason}</Descriptions.Item>}
          <Descriptions.Item label={t('qualification.award.credits')}>
            <span className="cb-num" data-testid="award-credits">
              {amountText(t, award.credits, award.unit)}
            </span>
          </Descriptions.Item>
        </Descriptions>
      )}
      {award && !canApply && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(`qualification.award.next.${award.status}`)}
        </Typography.Paragraph>
      )}
      {!award && !audit.complete && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('qualification.award.notYet')}
        </Typography.Paragraph>
      )}
      {canApply && (
        <>
          <Typography.Paragraph>{t('qualification.award.ready')}</Typography.Paragraph>
          <Button type="primary" icon={<TrophyOutlined />} loading={apply.isPending} onClick={() => apply.mutate()} data-testid="award-apply">
            {t('qualification.award.apply')}
          </Button>
        </>
      )}
      {apply.isError && (
        <Alert type="error" showIcon style={{ marginTop: 12 }} message={t('qualification.award.applyFailed')} description={errorMessage(apply.error)} />
      )}
    </Card>
  );
}

/** The statement and award cards under a learner's own audit. */
export function GraduationCards({ audit }: { audit: AuditView }) {
  return (
    <Row gutter={[16, 16]}>
      {audit.expected && (
        <Col xs={24} lg={12}>
          <ExpectedCard audit={audit} />
        </Col>
      )}
      <Col xs={24} lg={audit.expected ? 12 : 24}>
        <AwardCard audit={audit} />
      </Col>
    </Row>
  );
}
