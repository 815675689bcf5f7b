import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{b as H}from"./chunk-36KQL7QN.js";import{a as B,b as _,c as b,d as S,e as D,f as G,g as U,h as $,i as M,k as O}from"./chunk-VQHDMPC4.js";import"./chunk-SOCBWLWX.js";import{b as y}from"./chunk-GQKI5O2J.js";import{a as N,b as C,e as L,f as A}from"./chunk-SYKOIZN6.js";import{a as q}from"./chunk-WIOTSEPM.js";import"./chunk-HQZ6IUNH.js";import{i as v}from"./chunk-JFG5O3MX.js";import"./chunk-IF66HLLN.js";import"./chunk-DBEAQCU5.js";import"./chunk-SP32EVN4.js";import"./chunk-NIBPGGMV.js";import"./chunk-U3XHA5FZ.js";import"./chunk-4KINTEED.js";import"./chunk-LX5B6GGW.js";import"./chunk-DFFYCCFD.js";import{a as c}from"./chunk-KNDNFD5R.js";import{writeFileSync as Q}from"node:fs";import Z from"node:path";import{pathToFileURL as ee}from"node:url";import{parseArgs as E}from"node:util";var f={ok:0,failure:1,usage:2,profile:3,tree:4,failOn:5},z=`hmm-watch ${S}: what a GPU driver tree says about HMM support

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
  --max-file-size N     skip files larger than N bytes (default: ${A})
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
`,o=class extends Error{static{c(this,"UsageError")}},Y={format:{type:"string"},color:{type:"string",default:"auto"},width:{type:"string"},quiet:{type:"boolean",default:!1}},X={profile:{type:"string",default:"nvidia-uvm-hmm"},...Y,out:{type:"string"},exclude:{type:"string",multiple:!0},ref:{type:"string"}};function F(t,e,n=!1){if(t===void 0)return!e&&process.stdout.isTTY?"text":"markdown";if(t==="text"||t==="markdown"||t==="json"||n&&t==="sarif")return t;throw new o(`--format must be text, markdown${n?", json or sarif":" or json"}, not '${t}'`)}c(F,"formatOf");async function P(t,e){let n=e.color;if(!["auto","always","never"].includes(n))throw new o(`--color must be auto, always or never, not '${e.color}'`);if(e.width!==void 0&&!/^[1-9]\d*$/.test(e.width))throw new o(`--width must be a positive whole number, not '${e.width}'`);if(t!=="text")return;let{terminalFor:r}=await import("./terminal-62CITF4W.js");return r(process.stdout,{color:n,width:e.width===void 0?void 0:Number(e.width)})}c(P,"terminalOf");async function J(t,e,n){if(!n)return m=>ee(Z.resolve(e,m)).href;let{linkBuilder:r,linkTargetFor:i}=await import("./links-LNDP7LWD.js"),a=i(t.tree,{server:process.env.GITHUB_SERVER_URL||"https://github.com",trustTree:!0});return a&&r(a)}c(J,"textLinks");function V(t){if(t===void 0||t==="none"||t==="regression"||t==="change")return t??"none";throw new o(`--fail-on must be none, regression or change, not '${t}'`)}c(V,"failOnOf");function W(t,e){return!e||t==="none"?!1:t==="regression"?e.status==="regressed":e.status!=="unchanged"}c(W,"fails");async function K(t,e){let{renderSarif:n,serializeSarif:r}=await import("./sarif-UTJGD733.js");return r(n(t,e,void 0))}c(K,"sarif");function te(t){if(t!==void 0&&t<1)throw new o(`--max-file-size must be at least 1 (bytes), not ${t}`);return t}c(te,"maxFileSizeOf");function re(t){if(t!==void 0&&(t<1||t>L))throw new o(`--jobs must be between 1 and ${L}, not ${t}`);return t}c(re,"jobsOf");function I(t,e){t?Q(t,e):process.stdout.write(e)}c(I,"write");function j(t=!1){if(!process.stderr.isTTY||t)return;let e=Date.now(),n=0;return(r,i)=>{let a=Date.now();a-e<1e3||a-n<200&&r<i||(n=a,process.stderr.write(`\rhmm-watch: ${r}/${i}${r===i?`
`:""}`))}}c(j,"progress");async function ne(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{...X,"max-file-size":{type:"string"},jobs:{type:"string"},timings:{type:"boolean",default:!1},baseline:{type:"string"},"fail-on":{type:"string"},cache:{type:"string"},unit:{type:"string",multiple:!0},config:{type:"string",multiple:!0}}}),r=V(e["fail-on"]),i=(e.config??[]).map(g=>{try{return C(g)}catch(w){throw new o(w.message)}});if(new Set(i.map(g=>g.name)).size!==i.length)throw new o("--config: two configurations have the same name");if(e.ref==="")throw new o("--ref needs a branch, tag or commit (leave it out to scan the working tree)");if(e.cache&&!e.ref)throw new o("--cache goes with --ref (results are cached by git blob id)");let a=F(e.format,e.out,!0);if(a==="sarif"&&!e.baseline)throw new o("--format sarif goes with --baseline (its results are the regressions against it)");let m=await P(a,e);if(n.length>1)throw new o(`scan takes one TREE, got ${n.length}`);let u=c((g,w)=>{if(w!==void 0){if(!/^\d+$/.test(w))throw new o(`--${g} must be a whole number, not '${w}'`);return Number(w)}},"num"),s=n[0]??".",d=e.baseline?await O(e.baseline):void 0,l=e.cache?await b(e.profile):void 0,h=l?await H.load(e.cache,l.hash,D):void 0,{snapshot:p,loaded:T}=await $(s,{profile:e.profile,loaded:l,ref:e.ref,cache:h,maxFileBytes:te(u("max-file-size",e["max-file-size"])),jobs:re(u("jobs",e.jobs)),exclude:e.exclude,timings:e.timings,configurations:i,onProgress:j(e.quiet)});h?.save();let k=e.unit??[],x=y(p,k),R=d?(await import("./compare-OK34T3LM.js")).compareSnapshots(y(d,k),x):void 0;return I(e.out,a==="json"?G(p):a==="sarif"?await K(x,R):m?(await import("./text-55OGNPCD.js")).renderText(x,R,{terminal:m,links:await J(p,s,e.ref),baselineSource:e.baseline,quiet:e.quiet}):(await import("./markdown-PEPDFIYY.js")).renderReport(x,R,{profile:T.profile,baselineSource:e.baseline}).markdown),W(r,R)?f.failOn:f.ok}c(ne,"scan");async function oe(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:X}),r=F(e.format,e.out),i=await P(r,e),[a,m=".",...u]=n;if(a===void 0||u.length)throw new o("explain takes a CAPABILITY and at most one TREE");let s=await b(e.profile),d=s.profile.capabilities.map(k=>k.id);if(!d.includes(a))throw new o(`unknown capability '${a}' in profile ${s.profile.id}; its capabilities are: ${d.join(", ")}`);let{snapshot:l}=await $(m,{profile:e.profile,loaded:s,ref:e.ref,exclude:e.exclude,onProgress:j(e.quiet)}),h=(await import("./capabilities-I5RXVGQU.js")).traceCapability(s.profile,l.facts,l.constraints,a,l.macros),{explainMarkdown:p,explainText:T}=await import("./explain-2UP6D65S.js");return I(e.out,r==="json"?`${JSON.stringify({tree:l.tree,profile:l.profile,...h},null,2)}
`:i?T(h,l,i,{profile:s.profile,links:await J(l,m,e.ref)}):p(h,l,{profile:s.profile})),f.ok}c(oe,"explain");async function ie(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{profile:{type:"string",default:"nvidia-uvm-hmm"},tags:{type:"string",default:"*"},from:{type:"string"},to:{type:"string"},format:{type:"string",default:"markdown"},out:{type:"string"},cache:{type:"string",default:q("history")},"no-cache":{type:"boolean",default:!1},exclude:{type:"string",multiple:!0},shard:{type:"string"}}}),r=e.shard?/^(\d+)\/(\d+)$/.exec(e.shard):void 0;if(e.shard&&(!r||Number(r[1])<1||Number(r[1])>Number(r[2])))throw new o(`--shard must be i/n with 1 <= i <= n, not '${e.shard}'`);if(e.format!=="markdown"&&e.format!=="json")throw new o(`--format must be markdown or json, not '${e.format}'`);if(n.length>1)throw new o(`history takes one REPO, got ${n.length}`);let{buildHistory:i}=await import("./history-ZMV6HJOK.js"),{commitLinks:a,upstreamOf:m}=await import("./upstream-WUAXYBMD.js"),u=process.env.GITHUB_SERVER_URL||"https://github.com",s=await m(n[0]??".",u),d=j(),l=await i(n[0]??".",{name:s.name,profile:e.profile,glob:e.tags,from:e.from,to:e.to,cacheDir:e["no-cache"]?void 0:e.cache,exclude:e.exclude,shard:r?{index:Number(r[1])-1,count:Number(r[2])}:void 0,onProgress:d?(h,p)=>d(h,p):void 0});return I(e.out,e.format==="json"?`${JSON.stringify(l,null,2)}
`:(await import("./history-markdown-VY73ATV6.js")).renderHistory(l,{links:a(u,s)})),f.ok}c(ie,"history");async function ae(t){let{values:e,positionals:n}=E({args:t,allowPositionals:!0,options:{...Y,out:{type:"string"},"fail-on":{type:"string"},unit:{type:"string",multiple:!0}}});if(n.length!==2)throw new o("compare takes two snapshot files: BASELINE.json CURRENT.json");let r=F(e.format,e.out,!0),i=await P(r,e),a=V(e["fail-on"]),m=y(await O(n[0]),e.unit??[]),u=y(await O(n[1]),e.unit??[]),s=(await import("./compare-OK34T3LM.js")).compareSnapshots(m,u);return I(e.out,r==="json"?`${JSON.stringify(s,null,2)}
`:r==="sarif"?await K(u,s):i?(await import("./text-55OGNPCD.js")).renderText(u,s,{terminal:i,baselineSource:n[0],quiet:e.quiet}):(await import("./markdown-PEPDFIYY.js")).renderReport(u,s,{baselineSource:n[0]}).markdown),W(a,s)?f.failOn:f.ok}c(ae,"compare");async function xe(t){let[e,...n]=t;try{switch(e){case void 0:case"--help":case"-h":case"help":return process.stdout.write(z),e===void 0?f.usage:f.ok;case"--version":return process.stdout.write(`${S}
`),f.ok;case"scan":case"compare":case"explain":case"history":return n.includes("--help")||n.includes("-h")?(process.stdout.write(z),f.ok):await{scan:ne,compare:ae,explain:oe,history:ie}[e](n);case"anchors":{let{values:r}=E({args:n,options:{profile:{type:"string",default:"nvidia-uvm-hmm"}}});return process.stdout.write(`${new v((await b(r.profile)).profile).anchors().join(`
`)}
`),f.ok}case"profiles":for(let r of _())process.stdout.write(`${r}	${(await b(r)).profile.title}
`);return f.ok;default:throw new o(`unknown command '${e}'`)}}catch(r){let i=r;return process.stderr.write(`hmm-watch: ${i.message}
`),r instanceof o||i.code?.startsWith("ERR_PARSE_ARGS")?(process.stderr.write(`Run 'hmm-watch --help' for usage.
`),f.usage):r instanceof B?f.profile:r instanceof U||r instanceof N||r instanceof M||i.name==="HistoryError"?f.tree:(process.stderr.write(`${i.stack??""}
`),f.failure)}}c(xe,"cli");export{f as EXIT,xe as cli};
