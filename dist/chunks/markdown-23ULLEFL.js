import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-STL2BKZQ.js";import"./chunk-34CBROFV.js";import"./chunk-5WPFVPGG.js";import"./chunk-HP63F777.js";export{b as capabilityTable,c as renderReport,a as statusText};
