import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-CRVGFP57.js";import"./chunk-AIOPY7BN.js";import"./chunk-4KINTEED.js";import"./chunk-P3ZIZHOF.js";import"./chunk-KZMFIKEW.js";import"./chunk-HTBZUP2A.js";import"./chunk-KNDNFD5R.js";export{b as commitLinks,a as upstreamOf};
