#!/usr/bin/env node
import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a as v}from"./chunks/chunk-TE4T6N5W.js";import{c as k,d as $,e as h,h as R,i as I}from"./chunks/chunk-WUQAIPUU.js";import{c as j}from"./chunks/chunk-L4WTI5FF.js";import{a as u,c as E,d as p}from"./chunks/chunk-BQYQ3WFO.js";import"./chunks/chunk-KMDZ4JXO.js";import"./chunks/chunk-5WPFVPGG.js";import{a as i}from"./chunks/chunk-HP63F777.js";import{readFileSync as D,writeFileSync as A}from"node:fs";import{parseArgs as d}from"node:util";var s={ok:0,failure:1,usage:2,profile:3,tree:4,failOn:5},O=`hmm-watch ${u}: what a GPU driver tree says about HMM support

Usage:
  hmm-watch scan [--profile ID|FILE] [--format markdown|json] [--out FILE] [--baseline FILE] [--ref REF] [TREE]
  hmm-watch compare [--format markdown|json] [--out FILE] [--fail-on WHAT] BASELINE.json CURRENT.json
  hmm-watch history [--tags GLOB] [--from TAG] [--to TAG] [--profile ID|FILE] [--format markdown|json]
                    [--out FILE] [--cache DIR] REPO
  hmm-watch anchors [--profile ID|FILE]     print the prefilter tokens of a profile
  hmm-watch profiles                        list the built-in profiles
  hmm-watch --help | --version

scan options:
  --profile ID|FILE     built-in profile id or profile file (default: nvidia-uvm-hmm)
  --format FORMAT       markdown (a readable report, default) or json (the snapshot)
  --out FILE            write the output to FILE instead of standard output
  --max-file-size N     skip files larger than N bytes (default: 8388608)
  --exclude GLOB        leave out files matching GLOB (repeatable)
  --jobs N              worker threads (default: the cores, at most 4, with more than 2; else 1)
  --timings             add run timings and peak memory to the output (the bytes then vary)
  --baseline FILE       compare with a snapshot written earlier (the report then has Baseline and Change)
  --ref REF             scan this branch, tag or commit of the git repository TREE, without a checkout
  --cache DIR           keep per-file results by content in DIR (with --ref): unchanged files are not read again
  --fail-on WHAT        none (default), regression or change: exit 5 when the comparison shows it
  TREE                  the driver tree to scan (default: .)

compare prints the same report for two snapshot files (json: the comparison).

history scans every release tag matching GLOB (default *) from git objects, compares each release with the one it
was made from (its nearest tagged ancestor) and reports, per capability and fact, when it held and changed.
--cache DIR keeps per-file results by content across runs (default: .hmm-watch-cache in the current folder).

Exit codes:
  0  the scan completed (whatever it found)
  1  an unexpected error
  2  bad command-line usage
  3  the profile is invalid or cannot be found
  4  the tree or a snapshot file cannot be read (or the snapshot is from a newer hmm-watch)
  5  --fail-on was given and the comparison shows a regression (or a change)
`,a=class extends Error{static{i(this,"UsageError")}};function F(t){if(t===void 0||t==="none"||t==="regression"||t==="change")return t??"none";throw new a(`--fail-on must be none, regression or change, not '${t}'`)}i(F,"failOnOf");function x(t,e){return!e||t==="none"?!1:t==="regression"?e.status==="regressed":e.status!=="unchanged"}i(x,"fails");function P(t){let e;try{e=D(t,"utf8")}catch(r){throw new p(`cannot read snapshot ${t}: ${r.message}`)}try{return JSON.parse(e)}catch(r){throw new p(`${t} is not valid JSON: ${r.message}`)}}i(P,"readSnapshot");function g(t,e){t?A(t,e):process.stdout.write(e)}i(g,"write");function L(){if(!process.stderr.isTTY)return;let t=Date.now(),e=0;return(r,o)=>{let n=Date.now();n-t<1e3||n-e<200&&r<o||(e=n,process.stderr.write(`\rhmm-watch: ${r}/${o}${r===o?`
`:""}`))}}i(L,"progress");async function B(t){let{values:e,positionals:r}=d({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},format:{type:"string",default:"markdown"},out:{type:"string"},"max-file-size":{type:"string"},exclude:{type:"string",multiple:!0},jobs:{type:"string"},timings:{type:"boolean",default:!1},baseline:{type:"string"},"fail-on":{type:"string"},ref:{type:"string"},cache:{type:"string"}}}),o=F(e["fail-on"]);if(e.cache&&!e.ref)throw new a("--cache goes with --ref (results are cached by git blob id)");if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);if(r.length>1)throw new a(`scan takes one TREE, got ${r.length}`);let n=i((N,m)=>{if(m!==void 0){if(!/^\d+$/.test(m))throw new a(`--${N} must be a whole number, not '${m}'`);return Number(m)}},"num"),f=r[0]??".",c=e.cache?await h(e.profile):void 0,l=c?v.load(e.cache,c.hash,u):void 0,{snapshot:w,loaded:T}=await I(f,{profile:e.profile,loaded:c,ref:e.ref,cache:l,maxFileBytes:n("max-file-size",e["max-file-size"]),jobs:n("jobs",e.jobs),exclude:e.exclude,timings:e.timings,onProgress:L()});l?.save();let y=e.baseline?P(e.baseline):void 0,b=y?(await import("./chunks/compare-X6MIF5Z3.js")).compareSnapshots(y,w):void 0;return g(e.out,e.format==="json"?E(w):(await import("./chunks/markdown-S3W4WSNC.js")).renderReport(w,b,{profile:T.profile,baselineSource:e.baseline}).markdown),x(o,b)?s.failOn:s.ok}i(B,"scan");async function C(t){let{values:e,positionals:r}=d({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},tags:{type:"string",default:"*"},from:{type:"string"},to:{type:"string"},format:{type:"string",default:"markdown"},out:{type:"string"},cache:{type:"string",default:".hmm-watch-cache"},"no-cache":{type:"boolean",default:!1},exclude:{type:"string",multiple:!0}}});if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);if(r.length>1)throw new a(`history takes one REPO, got ${r.length}`);let{buildHistory:o}=await import("./chunks/history-L2JE4GQH.js"),n=L(),f=await o(r[0]??".",{profile:e.profile,glob:e.tags,from:e.from,to:e.to,cacheDir:e["no-cache"]?void 0:e.cache,exclude:e.exclude,onProgress:n?(c,l)=>n(c,l):void 0});return g(e.out,e.format==="json"?`${JSON.stringify(f,null,2)}
`:(await import("./chunks/history-markdown-6M6WN4YN.js")).renderHistory(f)),s.ok}i(C,"history");async function G(t){let{values:e,positionals:r}=d({args:t,allowPositionals:!0,options:{format:{type:"string",default:"markdown"},out:{type:"string"},"fail-on":{type:"string"}}});if(r.length!==2)throw new a("compare takes two snapshot files: BASELINE.json CURRENT.json");if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);let o=F(e["fail-on"]),[n,f]=r.map(P),c=(await import("./chunks/compare-X6MIF5Z3.js")).compareSnapshots(n,f);return g(e.out,e.format==="json"?`${JSON.stringify(c,null,2)}
`:(await import("./chunks/markdown-S3W4WSNC.js")).renderReport(f,c,{baselineSource:r[0]}).markdown),x(o,c)?s.failOn:s.ok}i(G,"compare");async function H(t){let[e,...r]=t;try{switch(e){case void 0:case"--help":case"-h":case"help":return process.stdout.write(O),e===void 0?s.usage:s.ok;case"--version":return process.stdout.write(`${u}
`),s.ok;case"scan":return r.includes("--help")||r.includes("-h")?(process.stdout.write(O),s.ok):await B(r);case"compare":return await G(r);case"history":return await C(r);case"anchors":{let{values:o}=d({args:r,options:{profile:{type:"string",default:"nvidia-uvm-hmm"}}});return process.stdout.write(`${new j((await h(o.profile)).profile).anchors().join(`
`)}
`),s.ok}case"profiles":for(let o of $())process.stdout.write(`${o}	${(await h(o)).profile.title}
`);return s.ok;default:throw new a(`unknown command '${e}'`)}}catch(o){let n=o;return process.stderr.write(`hmm-watch: ${n.message}
`),o instanceof a||n.code?.startsWith("ERR_PARSE_ARGS")?(process.stderr.write(`Run 'hmm-watch --help' for usage.
`),s.usage):o instanceof k?s.profile:o instanceof R||o instanceof p||n.name==="HistoryError"?s.tree:(process.stderr.write(`${n.stack??""}
`),s.failure)}}i(H,"cli");var S=process.argv[1]??"";(/(^|[\\/])(cli\.(js|ts|mjs))$/.test(S)||/[\\/]hmm-watch$/.test(S))&&H(process.argv.slice(2)).then(t=>{process.exitCode=t});export{s as EXIT,H as cli};
