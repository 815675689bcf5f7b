import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-I7LWARPT.js";import"./chunk-3EY6YK5S.js";import"./chunk-4KINTEED.js";import"./chunk-SRZCEQMJ.js";import"./chunk-HNZBFSU6.js";import"./chunk-HTBZUP2A.js";import"./chunk-KNDNFD5R.js";export{b as commitLinks,a as upstreamOf};
