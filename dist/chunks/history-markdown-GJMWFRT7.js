import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b}from"./chunk-6P3GKMIH.js";import"./chunk-34CBROFV.js";import"./chunk-HP63F777.js";export{a as mermaidTimeline,b as renderHistory};
