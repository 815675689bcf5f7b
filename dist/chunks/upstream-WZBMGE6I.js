import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-X33BYV3Y.js";import"./chunk-HTBZUP2A.js";import"./chunk-FQDPSGXP.js";import"./chunk-MMHNQNNU.js";import"./chunk-KNDNFD5R.js";export{b as commitLinks,a as upstreamOf};
