/** The portal pages' words: Chinese first, English second (the same keys in both). */
export const portalMessages = {
  zh: { portal: { title: '公开信息' } },
  en: { portal: { title: 'Public information' } },
};
