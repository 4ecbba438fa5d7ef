import { Button, Tooltip } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n/useLanguage';

/**
 * Toggles between 中文 and English. The button names the language it switches to,
 * written in that language, so a reader of either can find it.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [lang, setLang] = useLanguage();
  const next = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Tooltip title={t('header.switchLanguage')}>
      <Button type="text" icon={<TranslationOutlined />} data-testid="lang-switch" lang={next} onClick={() => setLang(next)}>
        {t(`language.${next}`)}
      </Button>
    </Tooltip>
  );
}
