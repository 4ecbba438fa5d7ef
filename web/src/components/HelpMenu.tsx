import { Button, Dropdown } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { Role } from '../api/types';
import { guideOrder } from '../pages/help/guides';

/**
 * The "?" in the header: a menu of the guides for each role, the reader's own first (`roles`; null
 * for a visitor who has not signed in, for whom the employer's guide comes first).
 */
export function HelpMenu({ roles }: { roles: readonly Role[] | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const order = guideOrder(roles);
  const mine = roles === null ? 1 : order.filter((r) => (roles as readonly string[]).includes(r)).length;
  const items = order.map((role) => ({
    key: role,
    label: <span data-testid={`help-guide-${role}`}>{t(`help.guide.${role}`)}</span>,
    onClick: () => navigate(`/help/${role}`),
  }));
  const groups = [
    ...(mine > 0
      ? [{ key: 'mine', type: 'group' as const, label: t(roles === null ? 'help.visitorGuide' : 'help.yourGuides'), children: items.slice(0, mine) }]
      : []),
    { key: 'others', type: 'group' as const, label: t(mine > 0 ? 'help.otherGuides' : 'help.allGuides'), children: items.slice(mine) },
  ];
  return (
    <Dropdown trigger={['click']} placement="bottomRight" menu={{ items: groups }}>
      <Button type="text" icon={<QuestionCircleOutlined />} aria-label={t('help.button')} title={t('help.button')} data-testid="help-menu" />
    </Dropdown>
  );
}
