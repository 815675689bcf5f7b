import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-V3VGTMXP.js";import"./chunk-WP4FBHRL.js";import"./chunk-7UKVHKQT.js";import"./chunk-N4AV4EDR.js";import"./chunk-KNDNFD5R.js";export{a as MAX_EVIDENCE,c as evaluateCapabilities,e as evaluateInConfiguration,b as matches,d as traceCapability};
