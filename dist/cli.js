#!/usr/bin/env node
import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{c as k,d as $,e as p,f as R,g as I,h as v}from"./chunks/chunk-DW4Y6A3A.js";import{c as j}from"./chunks/chunk-JZMM5IID.js";import{a as u,c as E,d}from"./chunks/chunk-BRDEZRKJ.js";import"./chunks/chunk-BZ5OYXGB.js";import"./chunks/chunk-5WPFVPGG.js";import{a as i}from"./chunks/chunk-HP63F777.js";import{readFileSync as D,writeFileSync as A}from"node:fs";import{parseArgs as w}from"node:util";var s={ok:0,failure:1,usage:2,profile:3,tree:4,failOn:5},x=`hmm-watch ${u}: what a GPU driver tree says about HMM support

Usage:
  hmm-watch scan [--profile ID|FILE] [--format markdown|json] [--out FILE] [--baseline FILE] [--ref REF] [TREE]
  hmm-watch compare [--format markdown|json] [--out FILE] [--fail-on WHAT] BASELINE.json CURRENT.json
  hmm-watch history [--tags GLOB] [--from TAG] [--to TAG] [--profile ID|FILE] [--format markdown|json]
                    [--out FILE] [--cache DIR] [--shard I/N] REPO
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
--cache DIR keeps per-file results by content and each release's snapshot across runs (default:
.hmm-watch-cache in the current folder); --shard I/N scans only that share of the tags into the cache (merge the
caches of all shards into one folder and run again for the whole history).

Exit codes:
  0  the scan completed (whatever it found)
  1  an unexpected error
  2  bad command-line usage
  3  the profile is invalid or cannot be found
  4  the tree or a snapshot file cannot be read (or the snapshot is from a newer hmm-watch)
  5  --fail-on was given and the comparison shows a regression (or a change)
`,a=class extends Error{static{i(this,"UsageError")}};function S(t){if(t===void 0||t==="none"||t==="regression"||t==="change")return t??"none";throw new a(`--fail-on must be none, regression or change, not '${t}'`)}i(S,"failOnOf");function F(t,e){return!e||t==="none"?!1:t==="regression"?e.status==="regressed":e.status!=="unchanged"}i(F,"fails");function N(t){let e;try{e=D(t,"utf8")}catch(r){throw new d(`cannot read snapshot ${t}: ${r.message}`)}try{return JSON.parse(e)}catch(r){throw new d(`${t} is not valid JSON: ${r.message}`)}}i(N,"readSnapshot");function g(t,e){t?A(t,e):process.stdout.write(e)}i(g,"write");function P(){if(!process.stderr.isTTY)return;let t=Date.now(),e=0;return(r,n)=>{let o=Date.now();o-t<1e3||o-e<200&&r<n||(e=o,process.stderr.write(`\rhmm-watch: ${r}/${n}${r===n?`
`:""}`))}}i(P,"progress");async function B(t){let{values:e,positionals:r}=w({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},format:{type:"string",default:"markdown"},out:{type:"string"},"max-file-size":{type:"string"},exclude:{type:"string",multiple:!0},jobs:{type:"string"},timings:{type:"boolean",default:!1},baseline:{type:"string"},"fail-on":{type:"string"},ref:{type:"string"},cache:{type:"string"}}}),n=S(e["fail-on"]);if(e.cache&&!e.ref)throw new a("--cache goes with --ref (results are cached by git blob id)");if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);if(r.length>1)throw new a(`scan takes one TREE, got ${r.length}`);let o=i((T,m)=>{if(m!==void 0){if(!/^\d+$/.test(m))throw new a(`--${T} must be a whole number, not '${m}'`);return Number(m)}},"num"),f=r[0]??".",c=e.cache?await p(e.profile):void 0,h=c?v.load(e.cache,c.hash,u):void 0,{snapshot:l,loaded:L}=await I(f,{profile:e.profile,loaded:c,ref:e.ref,cache:h,maxFileBytes:o("max-file-size",e["max-file-size"]),jobs:o("jobs",e.jobs),exclude:e.exclude,timings:e.timings,onProgress:P()});h?.save();let y=e.baseline?N(e.baseline):void 0,b=y?(await import("./chunks/compare-B4DIZROD.js")).compareSnapshots(y,l):void 0;return g(e.out,e.format==="json"?E(l):(await import("./chunks/markdown-23ULLEFL.js")).renderReport(l,b,{profile:L.profile,baselineSource:e.baseline}).markdown),F(n,b)?s.failOn:s.ok}i(B,"scan");async function C(t){let{values:e,positionals:r}=w({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},tags:{type:"string",default:"*"},from:{type:"string"},to:{type:"string"},format:{type:"string",default:"markdown"},out:{type:"string"},cache:{type:"string",default:".hmm-watch-cache"},"no-cache":{type:"boolean",default:!1},exclude:{type:"string",multiple:!0},shard:{type:"string"}}}),n=e.shard?/^(\d+)\/(\d+)$/.exec(e.shard):void 0;if(e.shard&&(!n||Number(n[1])<1||Number(n[1])>Number(n[2])))throw new a(`--shard must be i/n with 1 <= i <= n, not '${e.shard}'`);if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);if(r.length>1)throw new a(`history takes one REPO, got ${r.length}`);let{buildHistory:o}=await import("./chunks/history-2EJP5L4W.js"),f=P(),c=await o(r[0]??".",{profile:e.profile,glob:e.tags,from:e.from,to:e.to,cacheDir:e["no-cache"]?void 0:e.cache,exclude:e.exclude,shard:n?{index:Number(n[1])-1,count:Number(n[2])}:void 0,onProgress:f?(h,l)=>f(h,l):void 0});return g(e.out,e.format==="json"?`${JSON.stringify(c,null,2)}
`:(await import("./chunks/history-markdown-GJMWFRT7.js")).renderHistory(c)),s.ok}i(C,"history");async function G(t){let{values:e,positionals:r}=w({args:t,allowPositionals:!0,options:{format:{type:"string",default:"markdown"},out:{type:"string"},"fail-on":{type:"string"}}});if(r.length!==2)throw new a("compare takes two snapshot files: BASELINE.json CURRENT.json");if(e.format!=="markdown"&&e.format!=="json")throw new a(`--format must be markdown or json, not '${e.format}'`);let n=S(e["fail-on"]),[o,f]=r.map(N),c=(await import("./chunks/compare-B4DIZROD.js")).compareSnapshots(o,f);return g(e.out,e.format==="json"?`${JSON.stringify(c,null,2)}
`:(await import("./chunks/markdown-23ULLEFL.js")).renderReport(f,c,{baselineSource:r[0]}).markdown),F(n,c)?s.failOn:s.ok}i(G,"compare");async function H(t){let[e,...r]=t;try{switch(e){case void 0:case"--help":case"-h":case"help":return process.stdout.write(x),e===void 0?s.usage:s.ok;case"--version":return process.stdout.write(`${u}
`),s.ok;case"scan":return r.includes("--help")||r.includes("-h")?(process.stdout.write(x),s.ok):await B(r);case"compare":return await G(r);case"history":return await C(r);case"anchors":{let{values:n}=w({args:r,options:{profile:{type:"string",default:"nvidia-uvm-hmm"}}});return process.stdout.write(`${new j((await p(n.profile)).profile).anchors().join(`
`)}
`),s.ok}case"profiles":for(let n of $())process.stdout.write(`${n}	${(await p(n)).profile.title}
`);return s.ok;default:throw new a(`unknown command '${e}'`)}}catch(n){let o=n;return process.stderr.write(`hmm-watch: ${o.message}
`),n instanceof a||o.code?.startsWith("ERR_PARSE_ARGS")?(process.stderr.write(`Run 'hmm-watch --help' for usage.
`),s.usage):n instanceof k?s.profile:n instanceof R||n instanceof d||o.name==="HistoryError"?s.tree:(process.stderr.write(`${o.stack??""}
`),s.failure)}}i(H,"cli");var O=process.argv[1]??"";(/(^|[\\/])(cli\.(js|ts|mjs))$/.test(O)||/[\\/]hmm-watch$/.test(O))&&H(process.argv.slice(2)).then(t=>{process.exitCode=t});export{s as EXIT,H as cli};
