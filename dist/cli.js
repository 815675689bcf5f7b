#!/usr/bin/env node
import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{c as b,d as E,e as p,f as k,g as $}from"./chunks/chunk-OMH6YBZC.js";import{b as y}from"./chunks/chunk-3BBIP4HJ.js";import{a as u,c as g,d as c}from"./chunks/chunk-73BPJL4K.js";import"./chunks/chunk-KMDZ4JXO.js";import"./chunks/chunk-5WPFVPGG.js";import{a}from"./chunks/chunk-HP63F777.js";import{readFileSync as O,writeFileSync as L}from"node:fs";import{parseArgs as d}from"node:util";var o={ok:0,failure:1,usage:2,profile:3,tree:4,failOn:5},j=`hmm-watch ${u}: what a GPU driver tree says about HMM support

Usage:
  hmm-watch scan [--profile ID|FILE] [--format markdown|json] [--out FILE] [--baseline FILE] [TREE]
  hmm-watch compare [--format markdown|json] [--out FILE] [--fail-on WHAT] BASELINE.json CURRENT.json
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
  --fail-on WHAT        none (default), regression or change: exit 5 when the comparison shows it
  TREE                  the driver tree to scan (default: .)

compare prints the same report for two snapshot files (json: the comparison).

Exit codes:
  0  the scan completed (whatever it found)
  1  an unexpected error
  2  bad command-line usage
  3  the profile is invalid or cannot be found
  4  the tree or a snapshot file cannot be read (or the snapshot is from a newer hmm-watch)
  5  --fail-on was given and the comparison shows a regression (or a change)
`,i=class extends Error{static{a(this,"UsageError")}};function R(t){if(t===void 0||t==="none"||t==="regression"||t==="change")return t??"none";throw new i(`--fail-on must be none, regression or change, not '${t}'`)}a(R,"failOnOf");function v(t,e){return!e||t==="none"?!1:t==="regression"?e.status==="regressed":e.status!=="unchanged"}a(v,"fails");function x(t){let e;try{e=O(t,"utf8")}catch(n){throw new c(`cannot read snapshot ${t}: ${n.message}`)}try{return JSON.parse(e)}catch(n){throw new c(`${t} is not valid JSON: ${n.message}`)}}a(x,"readSnapshot");function F(t,e){t?L(t,e):process.stdout.write(e)}a(F,"write");function P(){if(!process.stderr.isTTY)return;let t=Date.now(),e=0;return(n,r)=>{let s=Date.now();s-t<1e3||s-e<200&&n<r||(e=s,process.stderr.write(`\rhmm-watch: scanning ${n}/${r} files${n===r?`
`:""}`))}}a(P,"progress");async function N(t){let{values:e,positionals:n}=d({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},format:{type:"string",default:"markdown"},out:{type:"string"},"max-file-size":{type:"string"},exclude:{type:"string",multiple:!0},jobs:{type:"string"},timings:{type:"boolean",default:!1},baseline:{type:"string"},"fail-on":{type:"string"}}}),r=R(e["fail-on"]);if(e.format!=="markdown"&&e.format!=="json")throw new i(`--format must be markdown or json, not '${e.format}'`);if(n.length>1)throw new i(`scan takes one TREE, got ${n.length}`);let s=a((I,m)=>{if(m!==void 0){if(!/^\d+$/.test(m))throw new i(`--${I} must be a whole number, not '${m}'`);return Number(m)}},"num"),{snapshot:f,loaded:l}=await $(n[0]??".",{profile:e.profile,maxFileBytes:s("max-file-size",e["max-file-size"]),jobs:s("jobs",e.jobs),exclude:e.exclude,timings:e.timings,onProgress:P()}),h=e.baseline?x(e.baseline):void 0,w=h?(await import("./chunks/compare-MAY2BD4Y.js")).compareSnapshots(h,f):void 0;return F(e.out,e.format==="json"?g(f):(await import("./chunks/markdown-VJKAXGK2.js")).renderReport(f,w,{profile:l.profile,baselineSource:e.baseline}).markdown),v(r,w)?o.failOn:o.ok}a(N,"scan");async function T(t){let{values:e,positionals:n}=d({args:t,allowPositionals:!0,options:{format:{type:"string",default:"markdown"},out:{type:"string"},"fail-on":{type:"string"}}});if(n.length!==2)throw new i("compare takes two snapshot files: BASELINE.json CURRENT.json");if(e.format!=="markdown"&&e.format!=="json")throw new i(`--format must be markdown or json, not '${e.format}'`);let r=R(e["fail-on"]),[s,f]=n.map(x),l=(await import("./chunks/compare-MAY2BD4Y.js")).compareSnapshots(s,f);return F(e.out,e.format==="json"?`${JSON.stringify(l,null,2)}
`:(await import("./chunks/markdown-VJKAXGK2.js")).renderReport(f,l,{baselineSource:n[0]}).markdown),v(r,l)?o.failOn:o.ok}a(T,"compare");async function A(t){let[e,...n]=t;try{switch(e){case void 0:case"--help":case"-h":case"help":return process.stdout.write(j),e===void 0?o.usage:o.ok;case"--version":return process.stdout.write(`${u}
`),o.ok;case"scan":return n.includes("--help")||n.includes("-h")?(process.stdout.write(j),o.ok):await N(n);case"compare":return await T(n);case"anchors":{let{values:r}=d({args:n,options:{profile:{type:"string",default:"nvidia-uvm-hmm"}}});return process.stdout.write(`${new y((await p(r.profile)).profile).anchors().join(`
`)}
`),o.ok}case"profiles":for(let r of E())process.stdout.write(`${r}	${(await p(r)).profile.title}
`);return o.ok;default:throw new i(`unknown command '${e}'`)}}catch(r){let s=r;return process.stderr.write(`hmm-watch: ${s.message}
`),r instanceof i||s.code?.startsWith("ERR_PARSE_ARGS")?(process.stderr.write(`Run 'hmm-watch --help' for usage.
`),o.usage):r instanceof b?o.profile:r instanceof k||r instanceof c?o.tree:(process.stderr.write(`${s.stack??""}
`),o.failure)}}a(A,"cli");var S=process.argv[1]??"";(/(^|[\\/])(cli\.(js|ts|mjs))$/.test(S)||/[\\/]hmm-watch$/.test(S))&&A(process.argv.slice(2)).then(t=>{process.exitCode=t});export{o as EXIT,A as cli};
