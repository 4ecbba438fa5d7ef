import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { CheckCircleFilled, FileSearchOutlined, SafetyCertificateOutlined, SolutionOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useRefreshAfterAction } from './ActionModal';
import { useCertification } from './ApplicationDetailPage';
import { showFieldErrors, useCredits } from './common';
import { certificationKey, EvidencePanel, evidenceComplete, requiredLabels } from './EvidencePanel';
import { frameworkLevelText } from '../standards/present';
import { OUTCOME_KINDS, type ApplicationDetail, type NewApplication, type OutcomeKind, type Standard } from './types';

const CREDIT_TEXT = /^\d{1,8}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const ISCED_BROAD = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10'] as const;

type Choice = { kind: 'standard'; standard: Standard } | { kind: 'individual' } | null;

interface IndividualValues {
  outcomeKind: OutcomeKind;
  creditsRequested: string;
  level?: number;
  iscedCode?: string;
  statement: string;
}

interface CertificateValues {
  title?: string;
  issuingBody?: string;
  certificateNo?: string;
  issuedOn: string;
  expiresOn?: string;
}

const INDIVIDUAL_FIELDS = ['outcomeKind', 'creditsRequested', 'level', 'iscedCode', 'statement'];
const CERTIFICATE_FIELDS = ['title', 'issuingBody', 'certificateNo', 'issuedOn', 'expiresOn'];

/** A learner's application, step by step: the standard, the certificate, the evidence, then submit. */
export function NewApplicationPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const refresh = useRefreshAfterAction();
  const [params] = useSearchParams();
  const preselected = params.get('standard');
  const [step, setStep] = useState(0);
  const [choice, setChoice] = useState<Choice>(null);
  const [createdId, setCreatedId] = useState<string | null>(null);
  const [individualForm] = Form.useForm<IndividualValues>();
  const [certForm] = Form.useForm<CertificateValues>();

  // ?standard=<id> from the public catalogue: start with that standard chosen.
  const pre = useQuery({
    queryKey: ['standard', preselected],
    enabled: Boolean(preselected),
    queryFn: ({ signal }) => api.get('/standards/{id}', { params: { id: preselected ?? '' }, signal }),
  });
  useEffect(() => {
    if (pre.data) setChoice((c) => c ?? { kind: 'standard', standard: pre.data });
  }, [pre.data]);

  const created = useCertification(createdId ?? undefined);

  const create = useMutation({
    mutationFn: (body: NewApplication) => api.post('/me/certifications', { body }),
    onSuccess: (detail) => {
      queryClient.setQueryData(certificationKey(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: ['my-certifications'] });
      setCreatedId(detail.id);
      setStep(2);
      void message.success(t('certification.new.draftSaved'));
    },
    onError: (err) => {
      showFieldErrors(certForm, err, CERTIFICATE_FIELDS);
      if (showFieldErrors(individualForm, err, INDIVIDUAL_FIELDS)) setStep(0);
    },
  });

  const submit = useMutation({
    mutationFn: (detail: ApplicationDetail) =>
      api.post('/certifications/{id}/{action}', { params: { id: detail.id, action: 'submit' }, body: { expectedVersion: detail.version } }),
    onSuccess: (detail) => {
      refresh(detail);
      void message.success(t('certification.done.submit'));
      navigate(`/certifications/${encodeURIComponent(detail.id)}`);
    },
  });

  const next0 = async () => {
    if (!choice) return;
    if (choice.kind === 'individual') await individualForm.validateFields();
    const current = certForm.getFieldsValue();
    if (choice.kind === 'standard') {
      // Start from the standard's own words; the learner may change them.
      certForm.setFieldsValue({
        title: current.title || localName(lang, choice.standard.nameZh, choice.standard.nameEn),
        issuingBody: current.issuingBody || choice.standard.issuingBody,
      });
    }
    setStep(1);
  };

  const next1 = async () => {
    const c = await certForm.validateFields();
    const body: NewApplication = { issuedOn: c.issuedOn };
    if (c.title?.trim()) body.title = c.title.trim();
    if (c.issuingBody?.trim()) body.issuingBody = c.issuingBody.trim();
    if (c.certificateNo?.trim()) body.certificateNo = c.certificateNo.trim();
    if (c.expiresOn) body.expiresOn = c.expiresOn;
    if (choice?.kind === 'standard') {
      body.standardId = choice.standard.id;
    } else {
      const i = individualForm.getFieldsValue(true) as IndividualValues;
      body.outcomeKind = i.outcomeKind;
      body.creditsRequested = i.creditsRequested.trim();
      body.statement = i.statement?.trim() ?? '';
      if (i.level) body.level = i.level;
      if (i.iscedCode) body.iscedCode = i.iscedCode;
    }
    create.mutate(body);
  };

  const app = created.data;

  return (
    <>
      <PageHeader
        title={t('certification.new.title')}
        subtitle={t('certification.new.subtitle')}
        extra={<Link to="/certifications">{t('certification.new.backToList')}</Link>}
      />
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          data-testid="cert-steps"
          items={[
            { title: t('certification.new.step.standard'), icon: <FileSearchOutlined /> },
            { title: t('certification.new.step.certificate'), icon: <SafetyCertificateOutlined /> },
            { title: t('certification.new.step.evidence'), icon: <SolutionOutlined /> },
            { title: t('certification.new.step.submit'), icon: <CheckCircleFilled /> },
          ]}
        />

        {step === 0 && (
          <StandardStep
            choice={choice}
            onChoose={setChoice}
            preselectError={pre.isError ? pre.error : null}
            preselectLoading={pre.isLoading}
            individualForm={individualForm}
            onNext={() => void next0()}
          />
        )}

        {step === 1 && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            {choice && <ChoiceSummary choice={choice} />}
            <Form form={certForm} layout="vertical" requiredMark="optional" style={{ maxWidth: 720 }} data-testid="cert-certificate-form">
              <Form.Item
                name="title"
                label={t('certification.field.title')}
                extra={choice?.kind === 'individual' ? t('certification.form.titleHelpIndividual') : t('certification.form.titleHelp')}
                rules={[
                  { required: choice?.kind === 'individual', whitespace: true, message: t('certification.form.titleRequired') },
                  { min: 2, max: 200, message: t('certification.form.length', { min: 2, max: 200 }) },
                ]}
              >
                <Input maxLength={200} data-testid="cert-field-title" />
              </Form.Item>
              <Form.Item
                name="issuingBody"
                label={choice?.kind === 'individual' ? t('certification.field.issuingBodyIndividual') : t('certification.field.issuingBody')}
                rules={[
                  { required: choice?.kind === 'individual', whitespace: true, message: t('certification.form.issuingBodyRequired') },
                  { min: 2, max: 200, message: t('certification.form.length', { min: 2, max: 200 }) },
                ]}
              >
                <Input maxLength={200} data-testid="cert-field-issuing-body" />
              </Form.Item>
              <Form.Item
                name="certificateNo"
                label={t('certification.field.certificateNo')}
                extra={t('certification.form.certificateNoHelp')}
                rules={[{ min: 3, max: 60, message: t('certification.form.length', { min: 3, max: 60 }) }]}
              >
                <Input maxLength={60} className="cb-mono" data-testid="cert-field-certificate-no" />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="issuedOn"
                    label={choice?.kind === 'individual' ? t('certification.field.issuedOnIndividual') : t('certification.field.issuedOn')}
                    rules={[
                      { required: true, message: t('certification.form.issuedOnRequired') },
                      { pattern: DATE, message: t('certification.form.dateFormat') },
                      { validator: (_, v: string) => (v && v > today() ? Promise.reject(new Error(t('certification.form.notFuture'))) : Promise.resolve()) },
                    ]}
                  >
                    <Input type="date" max={today()} data-testid="cert-field-issued-on" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="expiresOn"
                    label={t('certification.field.expiresOn')}
                    extra={t('certification.form.expiresOnHelp')}
                    dependencies={['issuedOn']}
                    rules={[
                      { pattern: DATE, message: t('certification.form.dateFormat') },
                      ({ getFieldValue }) => ({
                        validator: (_, v: string) =>
                          v && getFieldValue('issuedOn') && v <= getFieldValue('issuedOn')
                            ? Promise.reject(new Error(t('certification.form.expiresAfterIssue')))
                            : Promise.resolve(),
                      }),
                    ]}
                  >
                    <Input type="date" data-testid="cert-field-expires-on" />
                  </Form.Item>
                </Col>
              </Row>
            </Form>
            {create.isError && (
              <div data-testid="cert-create-error">
                <ErrorAlert error={create.error} title={t('certification.new.createFailed')} />
              </div>
            )}
            <Space>
              <Button onClick={() => setStep(0)} disabled={create.isPending}>
                {t('certification.new.back')}
              </Button>
              <Button type="primary" loading={create.isPending} onClick={() => void next1()} data-testid="cert-create">
                {t('certification.new.createDraft')}
              </Button>
            </Space>
          </Space>
        )}

        {step >= 2 && !app && (created.isError ? <ErrorAlert error={created.error} /> : <Skeleton active />)}

        {step === 2 && app && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Alert type="info" showIcon message={t('certification.new.draftNote')} />
            <Typography.Paragraph style={{ marginBottom: 0 }}>
              {app.standard ? t('certification.new.evidenceIntro', { count: requiredLabels(app).length }) : t('certification.new.evidenceIntroIndividual')}
            </Typography.Paragraph>
            <EvidencePanel app={app} editable />
            <Space>
              <Button type="primary" onClick={() => setStep(3)} data-testid="cert-evidence-next">
                {t('certification.new.next')}
              </Button>
            </Space>
          </Space>
        )}

        {step === 3 && app && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <ReviewSummary app={app} />
            {!evidenceComplete(app) && <Alert type="warning" showIcon message={t('certification.new.evidenceMissing')} data-testid="cert-evidence-missing" />}
            {submit.isError && (
              <div data-testid="cert-submit-error">
                <ErrorAlert error={submit.error} title={t('certification.new.submitFailed')} />
              </div>
            )}
            <Space wrap>
              <Button onClick={() => setStep(2)}>{t('certification.new.back')}</Button>
              <Button type="primary" loading={submit.isPending} onClick={() => submit.mutate(app)} data-testid="cert-submit">
                {t('certification.new.submit')}
              </Button>
              <Link to={`/certifications/${encodeURIComponent(app.id)}`}>{t('certification.new.later')}</Link>
            </Space>
          </Space>
        )}
      </Card>
    </>
  );
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function StandardStep({
  choice,
  onChoose,
  preselectError,
  preselectLoading,
  individualForm,
  onNext,
}: {
  choice: Choice;
  onChoose: (c: Choice) => void;
  preselectError: unknown;
  preselectLoading: boolean;
  individualForm: ReturnType<typeof Form.useForm<IndividualValues>>[0];
  onNext: () => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const standards = useQuery({
    queryKey: ['standards', 'search', q],
    queryFn: ({ signal }) => api.get('/standards', { query: { q: q.trim() }, signal }),
    placeholderData: (prev) => prev,
  });
  const items = standards.data?.items ?? [];
  const chosenId = choice?.kind === 'standard' ? choice.standard.id : null;
  // The chosen standard stays on screen even when a search no longer finds it.
  const shown = choice?.kind === 'standard' && !items.some((s) => s.id === chosenId) ? [choice.standard, ...items] : items;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('certification.new.chooseIntro')}
      </Typography.Paragraph>
      {preselectError ? <ErrorAlert error={preselectError} title={t('certification.new.preselectFailed')} /> : null}
      <Input.Search
        allowClear
        enterButton
        placeholder={t('certification.new.searchPlaceholder')}
        aria-label={t('common.search')}
        style={{ maxWidth: 520 }}
        onSearch={(v) => setQ(v)}
        loading={standards.isFetching}
        data-testid="cert-standard-search"
      />
      {standards.isError && <ErrorAlert error={standards.error} />}
      {(standards.isPending || preselectLoading) && <Skeleton active />}
      <Row gutter={[12, 12]}>
        {shown.map((s) => (
          <Col xs={24} lg={12} key={s.id}>
            <StandardOption standard={s} selected={s.id === chosenId} onSelect={() => onChoose({ kind: 'standard', standard: s })} />
          </Col>
        ))}
        {!standards.isPending && shown.length === 0 && (
          <Col span={24}>
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('certification.new.noStandardFound', { q }) : t('certification.new.noStandards')} />
          </Col>
        )}
        <Col span={24}>
          <Card
            hoverable
            size="small"
            onClick={() => onChoose({ kind: 'individual' })}
            data-testid="cert-standard-none"
            style={choice?.kind === 'individual' ? { borderColor: '#1677ff', boxShadow: '0 0 0 2px rgba(22,119,255,0.15)' } : { borderStyle: 'dashed' }}
          >
            <Space direction="vertical" size={2}>
              <Space>
                {choice?.kind === 'individual' && <CheckCircleFilled style={{ color: '#1677ff' }} />}
                <Typography.Text strong>{t('certification.individual.option')}</Typography.Text>
              </Space>
              <Typography.Text type="secondary">{t('certification.individual.optionHelp')}</Typography.Text>
            </Space>
          </Card>
        </Col>
      </Row>

      {choice?.kind === 'individual' && <IndividualFields form={individualForm} />}

      <Space>
        <Button type="primary" disabled={!choice} onClick={onNext} data-testid="cert-choose-next">
          {t('certification.new.next')}
        </Button>
        {!choice && <Typography.Text type="secondary">{t('certification.new.chooseFirst')}</Typography.Text>}
      </Space>
    </Space>
  );
}

/** One standard as an option: what it certifies, what it grants, who reviews it, what to bring. */
function StandardOption({ standard: s, selected, onSelect }: { standard: Standard; selected: boolean; onSelect: () => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  return (
    <Card
      hoverable
      size="small"
      onClick={onSelect}
      data-testid="cert-standard-option"
      data-code={s.code}
      data-selected={selected ? 'true' : 'false'}
      style={{ height: '100%', ...(selected ? { borderColor: '#1677ff', boxShadow: '0 0 0 2px rgba(22,119,255,0.15)' } : {}) }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 12 }}>
        <Space direction="vertical" size={2} style={{ minWidth: 0 }}>
          <Space size={6} wrap>
            {selected && <CheckCircleFilled style={{ color: '#1677ff' }} />}
            <Typography.Text strong>{localName(lang, s.nameZh, s.nameEn)}</Typography.Text>
            {s.certificateLevel && <Tag bordered={false}>{s.certificateLevel}</Tag>}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.issuingBody} · {t(`certification.kind.${s.outcomeKind}`)} · <span className="cb-mono">{s.code}</span>
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('certification.new.reviewedBy', { institution: localName(lang, s.institution.nameZh, s.institution.nameEn) })}
            {' · '}
            {frameworkLevelText(s, lang)}
            {s.validityMonths !== null && <> · {t('certification.new.validity', { count: s.validityMonths })}</>}
          </Typography.Text>
          {s.evidence.length > 0 && (
            <Typography.Text style={{ fontSize: 12 }}>
              {t('certification.new.bring')}: {s.evidence.join('、')}
            </Typography.Text>
          )}
          {s.substitutes.length > 0 && (
            <Typography.Text style={{ fontSize: 12 }}>
              {t('certification.new.substitutes')}:{' '}
              {s.substitutes
                .map((x) =>
                  [x.institutionCode, x.courseCode ? `${x.courseCode} ${localName(lang, x.courseTitleZh, x.courseTitleEn)}` : x.category]
                    .filter(Boolean)
                    .join(' '),
                )
                .join('; ')}
            </Typography.Text>
          )}
        </Space>
        <div style={{ textAlign: 'right', flex: 'none' }}>
          <div style={{ fontSize: 22, fontWeight: 600, color: '#237804' }} className="cb-num" data-testid="cert-standard-credits">
            {formatDecimal(s.credits)}
          </div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`unitLabel.${s.unit}`)}
          </Typography.Text>
        </div>
      </div>
    </Card>
  );
}

function IndividualFields({ form }: { form: ReturnType<typeof Form.useForm<IndividualValues>>[0] }) {
  const { t } = useTranslation();
  const kindOptions = useMemo(() => OUTCOME_KINDS.map((k) => ({ value: k, label: t(`certification.kind.${k}`) })), [t]);
  const iscedOptions = useMemo(() => ISCED_BROAD.map((c) => ({ value: c, label: `${c} · ${t(`certification.isced.${c}`)}` })), [t]);
  return (
    <Card size="small" title={t('certification.individual.title')} data-testid="cert-individual-form">
      <Typography.Paragraph type="secondary">{t('certification.individual.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark="optional" initialValues={{ outcomeKind: 'work_experience' }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="outcomeKind" label={t('certification.field.kind')} rules={[{ required: true, message: t('certification.form.kindRequired') }]}>
              <Select options={kindOptions} data-testid="cert-field-kind" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="creditsRequested"
              label={t('certification.field.creditsRequested')}
              extra={t('certification.form.creditsHelp')}
              rules={[
                { required: true, message: t('certification.form.creditsRequired') },
                { pattern: CREDIT_TEXT, message: t('certification.form.creditsFormat') },
              ]}
            >
              <Input inputMode="decimal" addonAfter={t('unitLabel.credit')} data-testid="cert-field-credits" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="level" label={t('certification.field.level')} extra={t('certification.form.levelHelp')}>
              <InputNumber min={1} max={12} precision={0} style={{ width: '100%' }} data-testid="cert-field-level" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="iscedCode" label={t('certification.field.isced')} extra={t('certification.form.iscedHelp')}>
              <Select allowClear showSearch optionFilterProp="label" options={iscedOptions} data-testid="cert-field-isced" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="statement"
          label={t('certification.field.statement')}
          extra={t('certification.form.statementHelp')}
          rules={[
            { required: true, whitespace: true, message: t('certification.form.statementRequired') },
            { min: 20, message: t('certification.form.statementShort') },
          ]}
        >
          <Input.TextArea rows={6} maxLength={8000} showCount data-testid="cert-field-statement" />
        </Form.Item>
      </Form>
    </Card>
  );
}

function ChoiceSummary({ choice }: { choice: NonNullable<Choice> }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const credits = useCredits();
  return choice.kind === 'standard' ? (
    <Alert
      type="success"
      showIcon
      message={t('certification.new.underStandard', { name: localName(lang, choice.standard.nameZh, choice.standard.nameEn) })}
      description={t('certification.new.grantsIfApproved', {
        credits: credits(choice.standard.credits, choice.standard.unit),
        institution: localName(lang, choice.standard.institution.nameZh, choice.standard.institution.nameEn),
      })}
    />
  ) : (
    <Alert type="info" showIcon message={t('certification.individual.title')} description={t('certification.individual.decidedBy')} />
  );
}

function ReviewSummary({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const credits = useCredits();
  const [lang] = useLanguage();
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} title={t('certification.new.reviewTitle')} data-testid="cert-review-summary">
      <Descriptions.Item label={t('certification.field.standard')} span="filled">
        {app.standard ? `${localName(lang, app.standard.nameZh, app.standard.nameEn)} (${app.standard.code})` : t('certification.individual.title')}
      </Descriptions.Item>
      <Descriptions.Item label={t('certification.field.title')}>{app.title}</Descriptions.Item>
      <Descriptions.Item label={app.standard ? t('certification.field.issuingBody') : t('certification.field.issuingBodyIndividual')}>
        {app.issuingBody}
      </Descriptions.Item>
      {(app.standard || app.certificateNo) && <Descriptions.Item label={t('certification.field.certificateNo')}>{app.certificateNo ?? '—'}</Descriptions.Item>}
      <Descriptions.Item label={app.standard ? t('certification.field.issuedOn') : t('certification.field.outcomeDate')}>{app.issuedOn}</Descriptions.Item>
      <Descriptions.Item label={t('certification.field.creditsRequested')}>
        {credits(app.creditsRequested ?? app.standard?.credits, app.unit)}
      </Descriptions.Item>
      <Descriptions.Item label={t('certification.field.reviewedBy')}>
        {app.institution ? localName(lang, app.institution.nameZh, app.institution.nameEn) : t('certification.detail.committee')}
      </Descriptions.Item>
      <Descriptions.Item label={t('certification.evidence.title')} span="filled">
        {t('certification.new.filesAttached', { count: app.evidence.length })}
      </Descriptions.Item>
    </Descriptions>
  );
}
