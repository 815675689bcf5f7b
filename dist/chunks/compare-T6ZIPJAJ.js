import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-S3CHJTUG.js";import"./chunk-KNDNFD5R.js";export{b as capabilityDirection,d as compareSnapshots,a as factIdentity,c as overallStatus};
