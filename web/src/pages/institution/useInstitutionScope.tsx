import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RoleGrant } from '../../api/types';
import { institutionGrants, useCurrentUser } from '../../auth';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

const STORAGE_KEY = 'creditbank.institution';

/**
 * The institution a registrar or reviewer is working on. Most staff belong to one;
 * those with grants at several get a picker (remembered in localStorage).
 */
export function useInstitutionScope(): { grant: RoleGrant | null; picker: React.ReactNode } {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const grants = institutionGrants(me);
  const [chosen, setChosen] = useState<string | null>(() => {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  });
  const grant = grants.find((g) => g.institutionId === chosen) ?? grants[0] ?? null;
  const picker =
    grants.length > 1 ? (
      <Select
        style={{ minWidth: 240 }}
        aria-label={t('institution.pick')}
        value={grant?.institutionId ?? undefined}
        onChange={(id: string) => {
          setChosen(id);
          try {
            localStorage.setItem(STORAGE_KEY, id);
          } catch {
            // storage unavailable: keep the choice for this page only
          }
        }}
        options={grants.map((g) => ({
          value: g.institutionId ?? '',
          label: localName(lang, g.institutionNameZh, g.institutionNameEn),
        }))}
      />
    ) : null;
  return { grant, picker };
}
