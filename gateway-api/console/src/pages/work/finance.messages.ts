/** The finance pages' words: Chinese first, English second (the same keys in both). */
export const financeMessages = {
  zh: { finance: { title: '财政工作台' } },
  en: { finance: { title: 'Finance workspace' } },
};
