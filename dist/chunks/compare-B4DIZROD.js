import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{d as a,e as b,f as c,g as d,h as e}from"./chunk-BRDEZRKJ.js";import"./chunk-BZ5OYXGB.js";import"./chunk-5WPFVPGG.js";import"./chunk-HP63F777.js";export{a as CompareError,c as capabilityDirection,d as checkReadable,e as compareSnapshots,b as factIdentity};
