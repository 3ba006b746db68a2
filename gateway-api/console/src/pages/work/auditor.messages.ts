/** The auditor pages' words: Chinese first, English second (the same keys in both). */
export const auditorMessages = {
  zh: { auditor: { title: '审计工作台' } },
  en: { auditor: { title: 'Auditor workspace' } },
};
