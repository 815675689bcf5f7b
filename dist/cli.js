#!/usr/bin/env node
import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{c as S,d as C,e as v,f as A,h as O,i as B,j as H,l as _,m as G,n as b,o as $,p as M,q as j,r as U}from"./chunks/chunk-YJPXEZVA.js";import{b as y}from"./chunks/chunk-GMRUWKEI.js";import{e as D}from"./chunks/chunk-BVTQSFGS.js";import"./chunks/chunk-FQDPSGXP.js";import"./chunks/chunk-MMHNQNNU.js";import"./chunks/chunk-V3VGTMXP.js";import"./chunks/chunk-WP4FBHRL.js";import"./chunks/chunk-7UKVHKQT.js";import"./chunks/chunk-N4AV4EDR.js";import{a}from"./chunks/chunk-KNDNFD5R.js";import{writeFileSync as Q}from"node:fs";import Z from"node:os";import I from"node:path";import{pathToFileURL as ee}from"node:url";import{parseArgs as E}from"node:util";var l={ok:0,failure:1,usage:2,profile:3,tree:4,failOn:5},q=`hmm-watch ${S}: what a GPU driver tree says about HMM support

Usage:
  hmm-watch scan [--profile ID|FILE] [--format text|markdown|json|sarif] [--out FILE] [--baseline FILE] [--ref REF] [--unit GLOB] [TREE]
  hmm-watch compare [--format text|markdown|json|sarif] [--out FILE] [--fail-on WHAT] [--unit GLOB] BASELINE.json CURRENT.json
  hmm-watch explain [--profile ID|FILE] [--format text|markdown|json] [--ref REF] CAPABILITY [TREE]
  hmm-watch history [--tags GLOB] [--from TAG] [--to TAG] [--profile ID|FILE] [--format markdown|json]
                    [--out FILE] [--cache DIR] [--shard I/N] REPO
  hmm-watch anchors [--profile ID|FILE]     print the prefilter tokens of a profile
  hmm-watch profiles                        list the built-in profiles
  hmm-watch --help | --version

scan options:
  --profile ID|FILE     built-in profile id or profile file (default: nvidia-uvm-hmm)
  --format FORMAT       text (for a terminal; the default when standard output is one), markdown (the report
                        GitHub shows; the default when output goes to a pipe or a file), json (the snapshot) or
                        sarif (SARIF 2.1.0 for code scanning: the regressions against --baseline)
  --out FILE            write the output to FILE instead of standard output
  --color WHEN          auto (default: colour on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it),
                        always or never; text format only. Evidence is a link where the terminal supports OSC 8
                        (FORCE_HYPERLINK=0 turns links off)
  --width N             lay text out for N columns, at least 40 (default: COLUMNS, else the terminal's width, else 80)
  --quiet               no progress line; the text format prints only the summary and what changed
  --max-file-size N     skip files larger than N bytes (default: 8388608)
  --exclude GLOB        leave out files matching GLOB (repeatable)
  --jobs N              worker threads, 1 to 16 (default: the cores, at most 4, with more than 2; else 1)
  --timings             add run timings and peak memory to the output (the bytes then vary)
  --baseline FILE       compare with a snapshot written earlier (the report then has Baseline and Change)
  --ref REF             scan this branch, tag or commit of the git repository TREE, without a checkout
  --cache DIR           keep per-file results by content in DIR (with --ref): unchanged files are not read again
  --config NAME=arch:ARCH,kernel:PATH[,config:FILE]
                        also evaluate every capability for this CPU architecture and kernel tree (a headers
                        package such as /usr/src/linux-headers-$(uname -r), or a source tree; FILE: its .config
                        when not in the tree); repeatable, one status column per configuration
  --fail-on WHAT        none (default), regression or change: exit 5 when the comparison shows it
  --unit GLOB           report only the driver units whose module name, id or folder matches (repeatable; also
                        for compare); the json snapshot keeps every unit
  TREE                  the driver tree to scan (default: .)

compare prints the same report for two snapshot files (json: the comparison); --color, --width and --quiet as in scan.

explain tells why CAPABILITY (an id of the profile's capabilities) has its status in TREE: the assumptions, every
case of the capability in order, the facts each selected with their conditions, the build constraints from
#error branches, and which case decided (json: the trace). Options as in scan: --profile, --format, --out, --color,
--width, --quiet, --ref, --exclude.

history scans every release tag matching GLOB (default *) from git objects, compares each release with the one it
was made from (its nearest tagged ancestor) and reports, per capability and fact, when it held and changed.
--cache DIR keeps per-file results by content and each release's snapshot across runs (default:
$XDG_CACHE_HOME/hmm-watch/history, or ~/.cache/hmm-watch/history); --shard I/N scans only that share of the tags into the cache (merge the
caches of all shards into one folder and run again for the whole history).

Exit codes:
  0  the command completed (a scan: whatever it found)
  1  an unexpected error
  2  bad command-line usage
  3  the profile is invalid or cannot be found
  4  the tree or a snapshot file cannot be read, is invalid or too large (or from a newer hmm-watch)
  5  --fail-on was given and the comparison shows a regression (or a change)
`,o=class extends Error{static{a(this,"UsageError")}},Y={format:{type:"string"},color:{type:"string",default:"auto"},width:{type:"string"},quiet:{type:"boolean",default:!1}},X={profile:{type:"string",default:"nvidia-uvm-hmm"},...Y,out:{type:"string"},exclude:{type:"string",multiple:!0},ref:{type:"string"}};function F(t,e,n=!1){if(t===void 0)return!e&&process.stdout.isTTY?"text":"markdown";if(t==="text"||t==="markdown"||t==="json"||n&&t==="sarif")return t;throw new o(`--format must be text, markdown${n?", json or sarif":" or json"}, not '${t}'`)}a(F,"formatOf");async function P(t,e){let n=e.color;if(!["auto","always","never"].includes(n))throw new o(`--color must be auto, always or never, not '${e.color}'`);if(e.width!==void 0&&!/^[1-9]\d*$/.test(e.width))throw new o(`--width must be a positive whole number, not '${e.width}'`);if(t!=="text")return;let{terminalFor:r}=await import("./chunks/terminal-J3VYKX22.js");return r(process.stdout,{color:n,width:e.width===void 0?void 0:Number(e.width)})}a(P,"terminalOf");async function J(t,e,n){if(!n)return m=>ee(I.resolve(e,m)).href;let{linkBuilder:r,linkTargetFor:i}=await import("./chunks/links-LNDP7LWD.js"),s=i(t.tree,{server:process.env.GITHUB_SERVER_URL||"https://github.com",trustTree:!0});return s&&r(s)}a(J,"textLinks");function V(t){if(t===void 0||t==="none"||t==="regression"||t==="change")return t??"none";throw new o(`--fail-on must be none, regression or change, not '${t}'`)}a(V,"failOnOf");function W(t,e){return!e||t==="none"?!1:t==="regression"?e.status==="regressed":e.status!=="unchanged"}a(W,"fails");async function K(t,e){let{renderSarif:n,serializeSarif:r}=await import("./chunks/sarif-2JWCKSLU.js");return r(n(t,e,void 0))}a(K,"sarif");function te(t){if(t!==void 0&&t<1)throw new o(`--max-file-size must be at least 1 (bytes), not ${t}`);return t}a(te,"maxFileSizeOf");function re(t){if(t!==void 0&&(t<1||t>$))throw new o(`--jobs must be between 1 and ${$}, not ${t}`);return t}a(re,"jobsOf");function T(t,e){t?Q(t,e):process.stdout.write(e)}a(T,"write");function N(t=!1){if(!process.stderr.isTTY||t)return;let e=Date.now(),n=0;return(r,i)=>{let s=Date.now();s-e<1e3||s-n<200&&r<i||(n=s,process.stderr.write(`\rhmm-watch: ${r}/${i}${r===i?`
`:""}`))}}a(N,"progress");async function ne(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{...X,"max-file-size":{type:"string"},jobs:{type:"string"},timings:{type:"boolean",default:!1},baseline:{type:"string"},"fail-on":{type:"string"},cache:{type:"string"},unit:{type:"string",multiple:!0},config:{type:"string",multiple:!0}}}),r=V(e["fail-on"]),i=(e.config??[]).map(g=>{try{return H(g)}catch(w){throw new o(w.message)}});if(new Set(i.map(g=>g.name)).size!==i.length)throw new o("--config: two configurations have the same name");if(e.ref==="")throw new o("--ref needs a branch, tag or commit (leave it out to scan the working tree)");if(e.cache&&!e.ref)throw new o("--cache goes with --ref (results are cached by git blob id)");let s=F(e.format,e.out,!0);if(s==="sarif"&&!e.baseline)throw new o("--format sarif goes with --baseline (its results are the regressions against it)");let m=await P(s,e);if(n.length>1)throw new o(`scan takes one TREE, got ${n.length}`);let u=a((g,w)=>{if(w!==void 0){if(!/^\d+$/.test(w))throw new o(`--${g} must be a whole number, not '${w}'`);return Number(w)}},"num"),c=n[0]??".",d=e.baseline?await O(e.baseline):void 0,f=e.cache?await b(e.profile):void 0,h=f?await U.load(e.cache,f.hash,C):void 0,{snapshot:p,loaded:L}=await j(c,{profile:e.profile,loaded:f,ref:e.ref,cache:h,maxFileBytes:te(u("max-file-size",e["max-file-size"])),jobs:re(u("jobs",e.jobs)),exclude:e.exclude,timings:e.timings,configurations:i,onProgress:N(e.quiet)});h?.save();let k=e.unit??[],x=y(p,k),R=d?(await import("./chunks/compare-T6ZIPJAJ.js")).compareSnapshots(y(d,k),x):void 0;return T(e.out,s==="json"?v(p):s==="sarif"?await K(x,R):m?(await import("./chunks/text-YBC5A3DJ.js")).renderText(x,R,{terminal:m,links:await J(p,c,e.ref),baselineSource:e.baseline,quiet:e.quiet}):(await import("./chunks/markdown-WQW23HLU.js")).renderReport(x,R,{profile:L.profile,baselineSource:e.baseline}).markdown),W(r,R)?l.failOn:l.ok}a(ne,"scan");function oe(){let t=process.env.XDG_CACHE_HOME;return I.join(t&&I.isAbsolute(t)?t:I.join(Z.homedir(),".cache"),"hmm-watch","history")}a(oe,"defaultHistoryCache");async function ie(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:X}),r=F(e.format,e.out),i=await P(r,e),[s,m=".",...u]=n;if(s===void 0||u.length)throw new o("explain takes a CAPABILITY and at most one TREE");let c=await b(e.profile),d=c.profile.capabilities.map(k=>k.id);if(!d.includes(s))throw new o(`unknown capability '${s}' in profile ${c.profile.id}; its capabilities are: ${d.join(", ")}`);let{snapshot:f}=await j(m,{profile:e.profile,loaded:c,ref:e.ref,exclude:e.exclude,onProgress:N(e.quiet)}),h=(await import("./chunks/capabilities-A5EJ2RTH.js")).traceCapability(c.profile,f.facts,f.constraints,s,f.macros),{explainMarkdown:p,explainText:L}=await import("./chunks/explain-EG6BP6KS.js");return T(e.out,r==="json"?`${JSON.stringify({tree:f.tree,profile:f.profile,...h},null,2)}
`:i?L(h,f,i,{profile:c.profile,links:await J(f,m,e.ref)}):p(h,f,{profile:c.profile})),l.ok}a(ie,"explain");async function se(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},tags:{type:"string",default:"*"},from:{type:"string"},to:{type:"string"},format:{type:"string",default:"markdown"},out:{type:"string"},cache:{type:"string",default:oe()},"no-cache":{type:"boolean",default:!1},exclude:{type:"string",multiple:!0},shard:{type:"string"}}}),r=e.shard?/^(\d+)\/(\d+)$/.exec(e.shard):void 0;if(e.shard&&(!r||Number(r[1])<1||Number(r[1])>Number(r[2])))throw new o(`--shard must be i/n with 1 <= i <= n, not '${e.shard}'`);if(e.format!=="markdown"&&e.format!=="json")throw new o(`--format must be markdown or json, not '${e.format}'`);if(n.length>1)throw new o(`history takes one REPO, got ${n.length}`);let{buildHistory:i}=await import("./chunks/history-26O6DWEF.js"),{commitLinks:s,upstreamOf:m}=await import("./chunks/upstream-WZBMGE6I.js"),u=process.env.GITHUB_SERVER_URL||"https://github.com",c=await m(n[0]??".",u),d=N(),f=await i(n[0]??".",{name:c.name,profile:e.profile,glob:e.tags,from:e.from,to:e.to,cacheDir:e["no-cache"]?void 0:e.cache,exclude:e.exclude,shard:r?{index:Number(r[1])-1,count:Number(r[2])}:void 0,onProgress:d?(h,p)=>d(h,p):void 0});return T(e.out,e.format==="json"?`${JSON.stringify(f,null,2)}
`:(await import("./chunks/history-markdown-TILC42CE.js")).renderHistory(f,{links:s(u,c)})),l.ok}a(se,"history");async function ae(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{...Y,out:{type:"string"},"fail-on":{type:"string"},unit:{type:"string",multiple:!0}}});if(n.length!==2)throw new o("compare takes two snapshot files: BASELINE.json CURRENT.json");let r=F(e.format,e.out,!0),i=await P(r,e),s=V(e["fail-on"]),m=y(await O(n[0]),e.unit??[]),u=y(await O(n[1]),e.unit??[]),c=(await import("./chunks/compare-T6ZIPJAJ.js")).compareSnapshots(m,u);return T(e.out,r==="json"?`${JSON.stringify(c,null,2)}
`:r==="sarif"?await K(u,c):i?(await import("./chunks/text-YBC5A3DJ.js")).renderText(u,c,{terminal:i,baselineSource:n[0],quiet:e.quiet}):(await import("./chunks/markdown-WQW23HLU.js")).renderReport(u,c,{baselineSource:n[0]}).markdown),W(s,c)?l.failOn:l.ok}a(ae,"compare");async function ce(t){let[e,...n]=t;try{switch(e){case void 0:case"--help":case"-h":case"help":return process.stdout.write(q),e===void 0?l.usage:l.ok;case"--version":return process.stdout.write(`${S}
`),l.ok;case"scan":case"compare":case"explain":case"history":return n.includes("--help")||n.includes("-h")?(process.stdout.write(q),l.ok):await{scan:ne,compare:ae,explain:ie,history:se}[e](n);case"anchors":{let{values:r}=E({args:n,options:{profile:{type:"string",default:"nvidia-uvm-hmm"}}});return process.stdout.write(`${new D((await b(r.profile)).profile).anchors().join(`
`)}
`),l.ok}case"profiles":for(let r of G())process.stdout.write(`${r}	${(await b(r)).profile.title}
`);return l.ok;default:throw new o(`unknown command '${e}'`)}}catch(r){let i=r;return process.stderr.write(`hmm-watch: ${i.message}
`),r instanceof o||i.code?.startsWith("ERR_PARSE_ARGS")?(process.stderr.write(`Run 'hmm-watch --help' for usage.
`),l.usage):r instanceof _?l.profile:r instanceof M||r instanceof B||r instanceof A||i.name==="HistoryError"?l.tree:(process.stderr.write(`${i.stack??""}
`),l.failure)}}a(ce,"cli");var z=process.argv[1]??"";(/(^|[\\/])(cli\.(js|ts|mjs))$/.test(z)||/[\\/]hmm-watch$/.test(z))&&ce(process.argv.slice(2)).then(t=>{process.exitCode=t});export{l as EXIT,ce as cli};
