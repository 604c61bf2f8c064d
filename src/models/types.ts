/**
 * The site a proxy network leaves for a candidate layer. The type lives with the layers that
 * implement it (src/tensor/norm-act-site.ts), so tensor/ needs nothing from models/ and models/
 * may build on tensor/'s kernels.
 */
export type { NormActFactory, NormActSite } from '../tensor/norm-act-site.js';
