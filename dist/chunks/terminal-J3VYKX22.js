import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i}from"./chunk-OKYZLB74.js";import"./chunk-QFG7DHAW.js";import"./chunk-KNDNFD5R.js";export{i as CHANGE,h as inStatusColor,f as link,e as pad,g as statusLabel,a as terminalFor,c as truncate,b as visibleWidth,d as wrap};
