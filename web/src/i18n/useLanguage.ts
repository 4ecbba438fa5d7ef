import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './index';

/** The current UI language (re-renders on change) and a setter. */
export function useLanguage(): [Language, (lng: Language) => void] {
  const { i18n } = useTranslation();
  const lang = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  const setLang = useCallback((lng: Language) => void i18n.changeLanguage(lng), [i18n]);
  return [lang, setLang];
}
