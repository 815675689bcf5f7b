import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-SAUH2DRI.js";import"./chunk-KNDNFD5R.js";export{a as SARIF_SCHEMA,b as renderSarif,c as serializeSarif};
