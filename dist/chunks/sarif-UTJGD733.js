import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-VJZ7YKEJ.js";import"./chunk-GQKI5O2J.js";import"./chunk-DBEAQCU5.js";import"./chunk-SP32EVN4.js";import"./chunk-NIBPGGMV.js";import"./chunk-DFFYCCFD.js";import"./chunk-KNDNFD5R.js";export{a as SARIF_SCHEMA,b as renderSarif,c as serializeSarif};
