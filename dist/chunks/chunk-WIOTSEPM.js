import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a as t}from"./chunk-KNDNFD5R.js";import e from"node:os";import r from"node:path";function c(...i){let o=process.env.XDG_CACHE_HOME;return r.join(o&&r.isAbsolute(o)?o:r.join(e.homedir(),".cache"),"hmm-watch",...i)}t(c,"userCacheDir");export{c as a};
