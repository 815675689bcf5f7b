import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-5XECRCF5.js";import"./chunk-ZWVKVOSK.js";import"./chunk-QOTGZA72.js";import"./chunk-KCUKSFXF.js";import"./chunk-NIBPGGMV.js";import"./chunk-HNZBFSU6.js";import"./chunk-KNDNFD5R.js";export{a as SARIF_SCHEMA,b as renderSarif,c as serializeSarif};
