import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a}from"./chunk-2MHSUKC6.js";import"./chunk-KNDNFD5R.js";export default a();
