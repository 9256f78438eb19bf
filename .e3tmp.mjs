import { newQuickJSWASMModule, shouldInterruptAfterDeadline } from 'quickjs-emscripten'
const mod = await newQuickJSWASMModule()
const S = Number(process.argv[2])*1024
function run(code) {
  const rt = mod.newRuntime()
  rt.setMemoryLimit(32*1024*1024)
  rt.setMaxStackSize(S)
  rt.setInterruptHandler(shouldInterruptAfterDeadline(Date.now()+3000))
  const ctx = rt.newContext()
  let out
  try {
  const r = ctx.evalCode(code)
  if (r.error) { const e = ctx.dump(r.error); out = {err: e.name+': '+e.message}; r.error.dispose() } else { out = {ok: String(ctx.dump(r.value)).slice(0,50)}; r.value.dispose() }
  } catch (e) { out = {HOST: String(e)} ; return out}
  ctx.dispose(); rt.dispose()
  return out
}
function deep(n) { return n ? { a: [deep(n-1)] } : 1 }
const cases = {
  rec: 'function f(n){return f(n+1)+1}; f(0)',
  arrlit: '['.repeat(100000) + ']'.repeat(100000),
  parens: '('.repeat(100000)+'1'+')'.repeat(100000),
  jsonparse: 'JSON.parse("' + '['.repeat(200000)+ ']'.repeat(200000) + '")',
  jsonstr: 'let a=[]; let b=a; for(let i=0;i<200000;i++){const c=[];b.push(c);b=c}; JSON.stringify(a).length',
  tostr: 'let a=[]; let b=a; for(let i=0;i<200000;i++){const c=[];b.push(c);b=c}; String(a).length',
  regex: '/(a|b)*c/.exec("ab".repeat(200000))',
  regex2: '/^(\\w+\\s?)*$/.test("a".repeat(30) + "!")',
  proxy: 'let p = new Proxy({}, {get(t,k,r){ return r[k] }}); p.x',
  getter: 'let o={get x(){return this.x}}; o.x',
  bind: 'let f=function(){}; for(let i=0;i<100000;i++) f=f.bind(null); f()',
  sort: '[3,2,1].sort(function s(a,b){ return [a,b].sort(s) })',
  ok: '1+1',
}
for (const [k,c] of Object.entries(cases)) console.log(k, JSON.stringify(run(c)))
