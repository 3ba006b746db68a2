/** A county organisation. Counties are configuration, not code. */
export interface County {
  readonly mspId: string;
  readonly name: string;
  /** Administrative division code (GB/T 2260). */
  readonly division: string;
  /** The county's name in Chinese (两当县), for documents people read such as the evidence certificate. */
  readonly chineseName?: string;
}

/** The default network's three counties (DESIGN.md). */
export const DEFAULT_COUNTIES: readonly County[] = [
  { mspId: 'LiangdangMSP', name: 'Liangdang County (两当县)', division: '621228', chineseName: '两当县' },
  { mspId: 'HuixianMSP', name: 'Huixian County (徽县)', division: '621227', chineseName: '徽县' },
  { mspId: 'FengxianMSP', name: 'Fengxian County (凤县)', division: '610330', chineseName: '凤县' },
];
