import { createRequire as __hmmCreateRequire } from 'node:module'; const require = __hmmCreateRequire(import.meta.url);
import{a as d}from"./chunk-33MHFU74.js";import{a as C}from"./chunk-3XKTX53U.js";import{a,b as g,c as p,d as w}from"./chunk-HMZ7XXKV.js";import{a as b}from"./chunk-JK3KEGOB.js";import{a as c}from"./chunk-KNDNFD5R.js";var L={regressed:"\u{1F53B}",improved:"\u{1F53A}",changed:"\u{1F504}",cause:"\u{1F501}"};function u(t){return t.split(" ")[0]}c(u,"word");function v(t,s){let e=u(t);return`${w(C,e)??"\u2014"} ${a(e==="absent"&&t!=="absent"?t:e)}${s?`<br>${g(s)}`:""}`}c(v,"cell");function k(t){return t.replace(/[^A-Za-z0-9 ._/()=!&|+-]/g," ").replace(/\s+/g," ").trim()}c(k,"mermaidText");function N(t){return[...new Set(t.tags.map(s=>s.line))].sort(b)}c(N,"releaseLines");function B(t){let s=N(t),e=c((o,n)=>o.lines.find(f=>f.line===n),"latest"),i=["Capability",...s.map(o=>`${a(o)}<br>${g(t.capabilities[0]?.lines.find(n=>n.line===o)?.latest??"")}`)],r=t.capabilities.map(o=>[a(o.title),...s.map(n=>{let f=e(o,n);return f?v(f.status,f.since):"\u2014"})]),m=[d([i,...r],{alignDelimiters:!1})];m.push(`Each cell: the status of the line's newest release (under the line's name), and the release it has held since along the line. ${Object.entries(C).map(([o,n])=>`${n} ${o}`).join(", ")}.`);let l=[];for(let o of t.capabilities){let n=new Map;for(let f of o.lines)u(f.status)==="conditional"&&n.set(f.status,[...n.get(f.status)??[],f.line]);for(let[f,y]of n)l.push(`- ${a(o.title)} (${y.map($=>a($)).join(", ")}): ${g(f.replace(/^conditional \((.*)\)$/,"$1"))}`)}return l.length&&m.push(`Conditional cells:

${l.join(`
`)}`),m.join(`

`)}c(B,"renderMatrix");function M(t,s,e){let i=a(`${t.file}:${p(t.line)}`),r=e?.(s,t.file,t.line);return r?`[${i}](${r})`:i}c(M,"where");function x(t,s){if(!t)return"\u2014";let e=t.evidence.map(i=>`${g(i.summary)} (${M(i,t.commit,s)})`);return`${a(t.because)}${e.length?`: ${e.join("; ")}`:""}`}c(x,"causeText");function R(t,s){let e=u(t.to)===u(t.from)?`${u(t.to)} (other condition)`:u(t.to),i=t.direction==="cause"?`${L.cause} ${a(u(t.to))}, other cause`:`${w(L,t.direction)??a(t.direction)} ${a(u(t.from))} \u2192 ${a(e)}`;return[`${g(t.tag)}<br>from ${g(t.parent)}`,a(t.title),i,x(t.before,s),x(t.after,s)]}c(R,"transitionRow");function h(t,s){let e=new Map(t.tags.map((i,r)=>[i.tag,r]));return t.capabilities.flatMap(i=>i.transitions.filter(r=>!s||s.has(r.tag)).map(r=>({...r,id:i.id,title:i.title}))).sort((i,r)=>(e.get(r.tag)??0)-(e.get(i.tag)??0))}c(h,"transitionsOf");var j=["Release","Capability","Change","Cause before","Cause after"];function H(t,s,e=1/0){if(t.length===0)return{markdown:"_No capability changed its status or its cause._",shown:0};let i=[],r=Buffer.byteLength(d([j],{alignDelimiters:!1}))+200;for(let o of t){let n=R(o,s),f=Buffer.byteLength(n.join(" | "))+6;if(r+f>e)break;r+=f,i.push(n)}let m=i.length?d([j,...i],{alignDelimiters:!1}):"",l=t.length-i.length;return{markdown:`${m}${l?`${m?`

`:""}_${l} older transition(s) did not fit here._`:""}`,shown:i.length}}c(H,"renderTransitions");function O(t){let s=h(t).reverse(),e=new Map;for(let i of s)e.set(i.line,[...e.get(i.line)??[],i]);return[...e].sort((i,r)=>b(i[0],r[0])).map(([i,r])=>{let m=["```mermaid","timeline",`    title Line ${k(i)}`],l=new Map,o=c(n=>`${k(n.id)} ${n.direction==="cause"?`${u(n.to)} other cause`:`${u(n.from)} to ${u(n.to)}`}`,"short");for(let n of r)l.set(n.tag,[...l.get(n.tag)??[],o(n)]);for(let[n,f]of l)m.push(`    ${k(n)} : ${f.join(" : ")}`);return m.push("```"),m.join(`
`)})}c(O,"mermaidTimelines");function T(t){let s=N(t);return`${t.tags.length} release tags matching ${g(t.glob)} in ${g(t.repository)}, ${s.length} line(s). Each release is compared with the release it was made from (its nearest tagged ancestor).`}c(T,"intro");function F(t,s={}){let e=[`## hmm-watch history: ${a(t.profile.title)}`,T(t)];for(let l of t.notes)e.push(`> ${a(l)}`);e.push("### Now, per release line",B(t)),e.push("### Transitions",H(h(t),s.links).markdown),e.push(...O(t));let i=t.units??[];if(i.length){let l=c(n=>n.from==="absent"?"gained":n.to==="absent"?"lost":n.direction,"word"),o=c(n=>n.capability?`${a(n.unit)}: ${a(n.capability)} ${l(n)} in ${g(n.tag)} (${a(n.from)} \u2192 ${a(n.to)}, from ${g(n.parent)})`:`${a(n.unit)}: unit ${n.to==="none"?"gone":"new"} in ${g(n.tag)} (from ${g(n.parent)})`,"line");e.push("### Changes per unit",i.map(n=>`- ${o(n)}`).join(`
`))}let r=t.facts.filter(l=>l.transitions.length>0),m=c(l=>d([["Fact","Where","Condition","First","Last","Changes"],...l.map(o=>[g(o.summary),a(o.file),o.condition==="1"?"always":g(o.condition),g(o.first),g(o.last),o.transitions.map(n=>`${a(n.change)} in ${g(n.tag)}`).join(", ")||"\u2014"])],{alignDelimiters:!1}),"factRows");return e.push(`<details><summary>Facts that changed between releases (${r.length})</summary>

${r.length?m(r):"_None._"}

</details>`),e.push(`<details><summary>All facts (${t.facts.length})</summary>

${t.facts.length?m(t.facts):"_None._"}

</details>`),t.run&&e.push(`History time: ${(t.run.totalMs/1e3).toFixed(1)} s for ${p(t.run.tags)} releases (${p(t.run.filesRead)} files read; result cache: ${p(t.run.cacheHits)} hits, ${p(t.run.cacheMisses)} misses).`),`${e.join(`

`)}
`}c(F,"renderHistory");function E(t,s){let e=[`## hmm-watch: ${a(t.profile.title)} across releases of ${g(t.repository)}`,T(t)];s.previous&&e.push(`Continues ${s.previous}.`);for(let l of t.notes)e.push(`> ${a(l)}`);e.push("### Now, per release line",B(t),"### Transitions");let i=`${s.detail?`The whole report (every fact, first and last releases, timelines): ${s.detail}.`:""}`,r=e.join(`

`),m=s.limit-Buffer.byteLength(r)-Buffer.byteLength(i)-16;return m<0?r=[e[0],T(t),`The matrix is ${Buffer.byteLength(r)} bytes, over the ${s.limit} bytes an issue body may take here; see the whole report.`].join(`

`):r+=`

${H(h(t),s.links,m).markdown}`,`${r}${i?`

${i}`:""}
`}c(E,"renderIssueBody");function z(t,s,e){let i=new Set(s),r=s.slice(0,50).map($=>g($)).join(", ")+(s.length>50?` and ${p(s.length-50)} more`:""),m=`New release(s) of ${g(t.repository)}: ${r}.`,l=t.facts.flatMap($=>$.transitions.filter(_=>i.has(_.tag))),o=l.length?`${l.length} fact change(s) in them; the whole report lists each.`:"No fact changed in them.",n=h(t,i),f=e.limit-Buffer.byteLength(m)-Buffer.byteLength(o)-64,y=n.length?H(n,e.links,f).markdown:"No capability changed its status or its cause in them.";return`${m}

${y}

${o}${e.issue?` The current state of every line: ${e.issue}.`:""}
`}c(z,"renderNews");export{B as a,h as b,H as c,O as d,F as e,E as f,z as g};
