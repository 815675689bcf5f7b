import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-YCIPWWQN.js";import"./chunk-U3XHA5FZ.js";import"./chunk-4KINTEED.js";import"./chunk-LX5B6GGW.js";import"./chunk-DFFYCCFD.js";import"./chunk-HTBZUP2A.js";import"./chunk-KNDNFD5R.js";export{b as commitLinks,a as upstreamOf};
