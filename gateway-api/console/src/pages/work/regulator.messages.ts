/** The regulator pages' words: Chinese first, English second (the same keys in both). */
export const regulatorMessages = {
  zh: { regulator: { title: '市场监管工作台' } },
  en: { regulator: { title: 'Regulator workspace' } },
};
