/** The verifier pages' words: Chinese first, English second (the same keys in both). */
export const verifierMessages = {
  zh: { verifier: { title: '第三方核验工作台' } },
  en: { verifier: { title: 'Verifier workspace' } },
};
