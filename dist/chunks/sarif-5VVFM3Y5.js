import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-RDBGWXOB.js";import"./chunk-CURWDV2L.js";import"./chunk-PAQYXADN.js";import"./chunk-KCUKSFXF.js";import"./chunk-NIBPGGMV.js";import"./chunk-KZMFIKEW.js";import"./chunk-KNDNFD5R.js";export{a as SARIF_SCHEMA,b as renderSarif,c as serializeSarif};
