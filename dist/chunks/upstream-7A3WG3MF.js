import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-PHLIBXR4.js";import"./chunk-O6GVKTF3.js";import"./chunk-4KINTEED.js";import"./chunk-FK5GPK5V.js";import"./chunk-KHCITAAN.js";import"./chunk-HTBZUP2A.js";import"./chunk-KNDNFD5R.js";export{b as commitLinks,a as upstreamOf};
