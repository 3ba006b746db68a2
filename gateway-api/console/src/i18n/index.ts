import { createI18n } from 'vue-i18n';
import { messages } from './areas';

export type Locale = 'zh' | 'en';
const LOCALE_KEY = 'county-ledger.locale';

const saved = localStorage.getItem(LOCALE_KEY);
export const i18n = createI18n({
  legacy: false,
  // Chinese by default; the switch is remembered in this browser.
  locale: saved === 'en' ? 'en' : 'zh',
  fallbackLocale: 'zh',
  messages: messages as never,
});

export function setLocale(locale: Locale): void {
  (i18n.global.locale as unknown as { value: Locale }).value = locale;
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
}

/** A message outside a component. The messages are plain records: a plain signature spares the compiler vue-i18n's deep key types. */
export const translate = (key: string, values?: Record<string, unknown>): string =>
  (i18n.global as unknown as { t: (k: string, v?: Record<string, unknown>) => string }).t(key, values);
