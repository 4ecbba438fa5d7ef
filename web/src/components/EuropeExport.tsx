import { App as AntApp, Button, Dropdown, type MenuProps } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../api/client';
import { downloadJson } from '../api/credentials';
import type { Outcome } from '../api/types';
import { localName } from '../format';
import { useErrorMessage } from './ErrorAlert';
import { useLanguage } from '../i18n/useLanguage';

interface Institution {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The institutions where the learner has a recorded passing result, in the order first seen. */
export function institutionsWithPasses(outcomes: Outcome[]): Institution[] {
  const seen = new Map<string, Institution>();
  for (const o of outcomes) {
    if (o.status !== 'recorded' || !o.passed || seen.has(o.institutionId)) continue;
    seen.set(o.institutionId, { id: o.institutionId, code: o.institutionCode, nameZh: o.institutionNameZh, nameEn: o.institutionNameEn });
  }
  return [...seen.values()];
}

/** Follows a download link (the session cookie goes with it). */
function follow(href: string) {
  const a = window.document.createElement('a');
  a.href = href;
  a.download = '';
  window.document.body.appendChild(a);
  a.click();
  a.remove();
}

/**
 * Europe: the learner's passing results per institution as a signed Europass (ELM 3) credential, and
 * as an Erasmus Without Paper transcript of records (EMREX ELMO XML). For the learner and the
 * institution's registrar; the server refuses anyone else.
 */
export function EuropeExport({ learnerId, outcomes }: { learnerId: string; outcomes: Outcome[] }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const institutions = institutionsWithPasses(outcomes);

  const europass = useMutation({
    mutationFn: (institutionId: string) => api.post('/credentials/europass', { body: { learnerId, institutionId } }),
    onSuccess: (document, institutionId) => {
      const inst = institutions.find((i) => i.id === institutionId);
      downloadJson(document, `europass-${inst?.code ?? 'credential'}`);
      void message.success(t('europe.europassReady'));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  if (institutions.length === 0) return null;
  const items: MenuProps['items'] = [
    {
      type: 'group',
      key: 'europass',
      label: t('europe.europass'),
      children: institutions.map((i) => ({ key: `europass:${i.id}`, label: localName(lang, i.nameZh, i.nameEn), 'data-testid': `europass-${i.code}` })),
    },
    {
      type: 'group',
      key: 'ewp',
      label: t('europe.ewp'),
      children: [
        ...(institutions.length > 1 ? [{ key: 'ewp:all', label: t('europe.allInstitutions'), 'data-testid': 'ewp-all' }] : []),
        ...institutions.map((i) => ({ key: `ewp:${i.id}`, label: localName(lang, i.nameZh, i.nameEn), 'data-testid': `ewp-${i.code}` })),
      ],
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    const [kind, id] = key.split(':') as [string, string];
    if (kind === 'europass') europass.mutate(id);
    else follow(apiUrl(`/learners/${encodeURIComponent(learnerId)}/ewp-transcript`, { institutionId: id === 'all' ? undefined : id }));
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']}>
      <Button size="small" icon={<GlobalOutlined />} loading={europass.isPending} title={t('europe.help')} data-testid="export-europe">
        {t('europe.button')}
      </Button>
    </Dropdown>
  );
}
