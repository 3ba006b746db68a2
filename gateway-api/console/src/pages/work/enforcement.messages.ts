/** The enforcement pages' words: Chinese first, English second (the same keys in both). */
export const enforcementMessages = {
  zh: { enforcement: { title: '执法工作台' } },
  en: { enforcement: { title: 'Enforcement workspace' } },
};
