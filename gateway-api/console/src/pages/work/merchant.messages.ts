/** The merchant pages' words: Chinese first, English second (the same keys in both). */
export const merchantMessages = {
  zh: { merchant: { title: '经营主体工作台' } },
  en: { merchant: { title: 'Merchant workspace' } },
};
