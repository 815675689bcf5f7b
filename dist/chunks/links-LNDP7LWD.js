import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-HTBZUP2A.js";import"./chunk-KNDNFD5R.js";export{a as isCommitId,b as isRepository,d as lineLink,e as linkBuilder,f as linkTargetFor,c as repositoryFromRemote};
