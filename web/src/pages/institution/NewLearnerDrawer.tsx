import { App as AntApp, Button, Col, Drawer, Form, Input, Row, Space } from 'antd';
import type { ButtonProps } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { IdType } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { IdDocumentFields } from '../../components/IdDocument';

interface FormValues {
  externalId: string;
  fullName: string;
  fullNameLatin?: string;
  birthDate?: string;
  email?: string;
  enrolledOn?: string;
  idType?: IdType;
  idNumber?: string;
  idCountry?: string;
  idTypeName?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

/** The request body: empty fields left out, the country and the name only with the type they belong to. */
function toBody(v: FormValues) {
  return {
    externalId: v.externalId.trim(),
    fullName: v.fullName.trim(),
    fullNameLatin: blank(v.fullNameLatin),
    birthDate: blank(v.birthDate),
    email: blank(v.email),
    enrolledOn: blank(v.enrolledOn),
    ...(v.idType
      ? {
          idType: v.idType,
          idNumber: blank(v.idNumber),
          idCountry: v.idType === 'passport' ? (v.idCountry ?? null) : null,
          idTypeName: v.idType === 'other' ? blank(v.idTypeName) : null,
        }
      : {}),
  };
}

/** A registrar enrols one learner (the bulk path is a learners import); render it only while open. */
export function NewLearnerDrawer({ institutionId, onClose }: { institutionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const save = useMutation({
    mutationFn: (v: FormValues) => api.post('/institutions/{id}/learners', { params: { id: institutionId }, body: toBody(v) }),
    onSuccess: (l) => {
      if (l.outcome === 'held') {
        // the document is on record under another name or birth date: the person (or an administrator) decides
        void modal.info({
          title: t('learners.heldTitle'),
          content: t('learners.held', { externalId: l.externalId }),
          okButtonProps: { 'data-testid': 'learner-held-ok' } as ButtonProps,
        });
        void queryClient.invalidateQueries({ queryKey: ['held-enrolments', institutionId] });
      } else {
        void message.success(t(l.outcome === 'linked' ? 'learners.linked' : 'learners.enrolled', { accountNo: l.accountNo }));
        void queryClient.invalidateQueries({ queryKey: ['institution-learners', institutionId] });
      }
      onClose();
    },
    onError: (err) => {
      // each field the server names ("body.idCountry") gets its message beside it too
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      const fields = errors.map((e) => ({ name: e.path.replace(/^body\./, ''), errors: [e.message] })).filter((f) => !f.name.includes('.'));
      if (fields.length) form.setFields(fields as never);
    },
  });
  const required = { required: true, whitespace: true, message: t('learners.required') };
  const date = { pattern: DATE, message: t('learners.dateInvalid') };

  return (
    <Drawer
      open
      onClose={onClose}
      width={640}
      title={t('learners.enrolTitle')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="learner-form-submit">
            {t('learners.enrolSubmit')}
          </Button>
        </Space>
      }
    >
      {save.isError && <ErrorAlert error={save.error} title={t('learners.enrolFailed')} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} scrollToFirstError requiredMark>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="externalId"
              label={t('learners.field.externalId')}
              rules={[required, { pattern: /^[A-Za-z0-9._-]{1,40}$/, message: t('learners.studentNoInvalid') }]}
            >
              <Input className="cb-mono" data-testid="learner-field-external-id" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="enrolledOn" label={t('learners.field.enrolledOn')} rules={[date]}>
              <Input placeholder="YYYY-MM-DD" className="cb-mono" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="fullName" label={t('learners.field.fullName')} rules={[required, { max: 100 }]}>
              <Input data-testid="learner-field-full-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="fullNameLatin" label={t('learners.field.fullNameLatin')} rules={[{ max: 100 }]}>
              <Input lang="en" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="birthDate" label={t('learners.field.birthDate')} rules={[date]}>
              <Input placeholder="YYYY-MM-DD" className="cb-mono" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="email" label={t('learners.field.email')} rules={[{ type: 'email' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <IdDocumentFields />
      </Form>
    </Drawer>
  );
}
