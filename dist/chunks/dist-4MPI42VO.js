import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a}from"./chunk-VQQ7M7RW.js";import"./chunk-HP63F777.js";export default a();
