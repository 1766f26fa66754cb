//! `Report` -> self-contained HTML pages: a paged, sortable table of every
//! copy, an outlet view (who copies whom), and per story a timeline and
//! side-by-side views with the shared passages highlighted.
//!
//! **Size.** Each text is stored once per article, not once per copy, and
//! shared passages travel as offsets into it; the page's script builds the
//! side-by-side view when a story is opened and draws the table a page of
//! rows at a time, so a page opens fast whatever the number of copies. One
//! file holds every story's metadata but the texts of the largest stories
//! only, up to [`HtmlOptions::text_budget`] bytes. A directory report
//! ([`DirWriter`], [`write_dir_from_clusters`]) is written a page at a
//! time: pages of up to [`STORIES_PER_PAGE`] stories (or
//! [`PAGE_TEXT_BUDGET`] bytes of text) holding their texts, then an
//! `index.html` with the totals, the outlet view, the list of pages and
//! the table of the largest stories (up to [`INDEX_BUDGET`] bytes), so
//! every file stays a size a browser opens, at any scan size.
//!
//! **Escaping.** Article text is untrusted input. What the page shows
//! without its script (headings, the outlet view, the SVG matrix) goes
//! through [`escape`], the one escaping function for markup, in elements
//! and attributes alike. Everything else is data: one JSON document in a
//! `<script type="application/json">` element, written by [`json_str`],
//! which escapes `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX` so no article
//! string can close the element (`</script>`) or open a comment. The script
//! reads the data with `JSON.parse` and puts article strings into the page
//! with `textContent` and `setAttribute` only, never as markup. A
//! Content-Security-Policy forbids every network request and external
//! asset; links to articles are made only for `http(s)` URLs, with
//! `rel="noreferrer nofollow"`, and open only when clicked.

use super::model::{format_lag, MemberReport, Mode, Report, StoryReport};
use crate::lineage::VersionReason;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Stories per page of [`write_dir`].
pub const STORIES_PER_PAGE: usize = 1000;

/// Bytes of article text one page holds by default (about 8 MB): with the
/// metadata of 50,000 articles beside it the page stays near 20 MB, which a
/// browser parses in well under a second.
pub const TEXT_BUDGET: usize = 8_000_000;

/// Outlets in the outlet table (the JSON report lists all).
pub const OUTLET_ROWS: usize = 50;

/// Outlets on each side of the who-copies-whom matrix.
pub const MATRIX_SIZE: usize = 12;

/// What one page holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlOptions {
    /// List only the first N stories (largest first); the page says how
    /// many more the JSON report has.
    pub max_stories: Option<usize>,
    /// Bytes of article text to embed, largest stories first; stories past
    /// it are listed with their figures but without the side-by-side texts.
    pub text_budget: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            max_stories: None,
            text_budget: TEXT_BUDGET,
        }
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for use in element text and in
/// quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Appends `s` to `out` as a JSON string literal that is safe inside an
/// HTML `<script>` element: besides JSON's own escapes, `<`, `>`, `&`,
/// U+2028 and U+2029 are written as `\uXXXX`, so `</script>`, `<!--` and
/// the line separators old JavaScript parsers stop at cannot occur.
pub fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_opt(s: Option<&str>, out: &mut String) {
    match s {
        Some(s) => json_str(s, out),
        None => out.push_str("null"),
    }
}

fn json_num(n: Option<i64>, out: &mut String) {
    match n {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
        None => out.push_str("null"),
    }
}

/// Byte offsets of `text` -> UTF-16 code unit offsets (what JavaScript
/// strings index by). Offsets inside a character or past the end are
/// clamped to the character's start or the end.
fn utf16_offsets(text: &str) -> impl Fn(usize) -> usize + '_ {
    let ascii = text.is_ascii();
    let table: Vec<u32> = if ascii {
        Vec::new()
    } else {
        let mut t = vec![0u32; text.len() + 1];
        let mut u = 0u32;
        let mut last = 0;
        for (i, c) in text.char_indices() {
            for slot in &mut t[last..=i] {
                *slot = u;
            }
            u += c.len_utf16() as u32;
            last = i + 1;
        }
        for slot in &mut t[last..] {
            *slot = u;
        }
        t
    };
    move |b: usize| {
        let b = b.min(text.len());
        if ascii {
            b
        } else {
            table[b] as usize
        }
    }
}

const TYPES: [&str; 5] = ["verbatim", "excerpt", "expanded", "reworded", "quoted"];

fn type_index(t: crate::lineage::CopyType) -> usize {
    TYPES.iter().position(|&n| n == t.as_str()).unwrap_or(0)
}

/// Interned outlet names (each written once in the data).
#[derive(Default)]
struct Outlets {
    names: Vec<String>,
    index: std::collections::HashMap<String, usize>,
}

impl Outlets {
    fn id(&mut self, m: &MemberReport) -> usize {
        let name = m.outlet();
        if let Some(&i) = self.index.get(&name) {
            return i;
        }
        self.names.push(name.clone());
        self.index.insert(name, self.names.len() - 1);
        self.names.len() - 1
    }
}

/// Where a story's texts are: in this page, on another page, or nowhere.
enum Texts<'a> {
    Here(&'a [String]),
    At(String),
    Left,
}

/// One story's data: `{"n","c","o","ev","note","cap","m":[..],"cp":[..],"v":[..],"t"?,"sp"?,"at"?}`.
fn story_json(s: &StoryReport, n: usize, texts: Texts, outlets: &mut Outlets, out: &mut String) {
    let _ = write!(
        out,
        "{{\"n\":{n},\"c\":{},\"o\":{},\"ev\":",
        s.cluster, s.origin
    );
    let ev = serde_json::to_value(s.evidence)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    json_str(&ev, out);
    out.push_str(",\"note\":");
    json_str(&s.evidence_note, out);
    if s.capped {
        let _ = write!(out, ",\"cap\":{}", s.max_candidates);
    }
    out.push_str(",\"m\":[");
    for (i, m) in s.members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "[{},", outlets.id(m));
        json_str(&m.id, out);
        out.push(',');
        json_opt(m.title.as_deref(), out);
        out.push(',');
        json_opt(m.url.as_deref(), out);
        out.push(',');
        json_opt(m.published.as_deref(), out);
        if m.crawl_dated() {
            // A crawl date, not a publication date: the page marks it.
            out.push_str(",1");
        }
        out.push(']');
    }
    out.push_str("],\"cp\":[");
    for (k, c) in s.copies.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let f = &c.figures;
        let _ = write!(out, "[{},{},", c.member, c.parent);
        json_num(c.lag_seconds, out);
        let _ = write!(
            out,
            ",{},{},{},{},",
            type_index(c.copy_type),
            f.parent_in_copy,
            f.jaccard,
            c.attribution.attributed as u8
        );
        match (&c.attribution.credit, c.attribution.attributed) {
            (Some(cr), true) => json_str(&cr.snippet, out),
            _ => out.push_str("null"),
        }
        let _ = write!(
            out,
            ",{},{},{},{},{}]",
            c.depth,
            f.copy_in_parent,
            f.aligned_copy,
            f.aligned_parent,
            c.shared.len()
        );
    }
    out.push_str("],\"v\":[");
    for (k, v) in s.versions.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let reason = match v.reason {
            VersionReason::SameOutlet => "same outlet",
            VersionReason::SameUrl => "same page address",
        };
        let _ = write!(out, "[{},{},\"{reason}\",", v.member, v.of);
        json_num(v.lag_seconds, out);
        out.push(']');
    }
    out.push(']');
    match texts {
        Texts::Here(t) => {
            out.push_str(",\"t\":[");
            for (i, text) in t.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_str(text, out);
            }
            // Passages as UTF-16 offsets: [copy start, end, parent start, end].
            out.push_str("],\"sp\":[");
            let maps: Vec<_> = t.iter().map(|x| utf16_offsets(x)).collect();
            for (k, c) in s.copies.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push('[');
                let (mc, mp) = (maps.get(c.member), maps.get(c.parent));
                if let (Some(mc), Some(mp)) = (mc, mp) {
                    for (j, x) in c.shared.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        let _ = write!(
                            out,
                            "[{},{},{},{}]",
                            mc(x.copy_start),
                            mc(x.copy_end),
                            mp(x.parent_start),
                            mp(x.parent_end)
                        );
                    }
                }
                out.push(']');
            }
            out.push(']');
        }
        Texts::At(page) => {
            out.push_str(",\"at\":");
            json_str(&page, out);
        }
        Texts::Left => {}
    }
    out.push('}');
}

const STYLE: &str = r#"
:root{--fg:#1d232b;--mut:#5d6875;--bg:#fff;--line:#dfe3e8;--hl:#ffe58a;--bad:#b3261e;--ok:#1e7b34;--acc:#2456a6;--ver:#8a8f98}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:20px 28px;max-width:1500px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:22px 0 6px;padding-top:10px;border-top:2px solid var(--line)}h3{font-size:15px;margin:14px 0 6px}
a{color:var(--acc)}.mut{color:var(--mut)}.sum{font-size:16px;margin:4px 0}.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}
nav{display:flex;gap:16px;margin:10px 0;font-weight:600}
.filters{display:flex;gap:14px;align-items:center;margin:10px 0 8px;flex-wrap:wrap}.filters input[type=search],.filters select{padding:4px 8px;border:1px solid var(--line);border-radius:4px}.filters input[type=search]{min-width:220px}
button{font:inherit;font-size:13px;padding:3px 10px;border:1px solid #b9c1ca;border-radius:4px;background:#f5f7f9;cursor:pointer}button:focus-visible,a:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0a500;outline-offset:1px}
table{border-collapse:collapse;width:100%;font-size:13.5px}th,td{text-align:left;padding:4px 7px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f5f7f9;position:sticky;top:0}th button{border:0;background:none;padding:0;font-weight:700;font-size:13.5px;color:var(--fg)}th[aria-sort=ascending] button::after{content:" \25B2"}th[aria-sort=descending] button::after{content:" \25BC"}
td.url{max-width:260px;overflow-wrap:anywhere}td.hl{max-width:320px}td.no{color:var(--bad);font-weight:600}
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;background:#eef1f4}
.t-verbatim{background:#fde2e1}.t-excerpt{background:#fff1cc}.t-expanded{background:#dff3e4}.t-reworded{background:#e4e8fb}.t-quoted{background:#f1e2fb}
.pager{display:flex;gap:10px;align-items:center;margin:8px 0}
.tl{list-style:none;padding:0;margin:8px 0}.tl li{display:grid;grid-template-columns:minmax(160px,320px) 1fr;gap:10px;align-items:center;margin:2px 0;font-size:13px}
.tl .track{position:relative;height:12px;background:#f1f3f5;border-radius:6px}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;background:var(--acc)}.tl .dot{position:absolute;top:1px;margin-left:-5px}
.d-origin{background:var(--ok)}.d-unattr{background:var(--bad)}.d-version{background:var(--ver)}
.legend{display:flex;gap:16px;font-size:12.5px;color:var(--mut);margin:4px 0}.legend span{display:inline-flex;gap:5px;align-items:center}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 10px}summary{cursor:pointer}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin-top:8px}.sbs h4{margin:4px 0;font-size:13px}
.txt{white-space:pre-wrap;font:13px/1.5 Georgia,serif;border:1px solid var(--line);border-radius:4px;padding:10px;max-height:480px;overflow:auto;background:#fcfcfd}
mark{background:var(--hl);padding:0}.ev{font-size:13px}textarea{width:100%;height:120px;font:12px monospace}
.ov{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.ov>div{flex:1 1 620px;min-width:0}.ov figure{flex:0 0 auto;margin:0}svg text{font:11px system-ui,sans-serif;fill:#1d232b}
@media print{nav,.filters,.pager,button,textarea{display:none!important}body{padding:0;max-width:none;font-size:11pt}th{position:static}[hidden]{display:block!important}.txt{max-height:none;overflow:visible}details{break-inside:avoid}a[href^="http"]::after{content:" (" attr(href) ")";font-size:9pt;color:#555}tr{break-inside:avoid}}
"#;

/// The page's script: reads the data element, draws the table (paged,
/// sorted, filtered), opens stories. Article strings only ever reach the
/// page through `textContent` and `setAttribute`.
const SCRIPT: &str = r#"
(function(){'use strict';
var D=JSON.parse(document.getElementById('wt-data').textContent),O=D.outlets,TY=D.types,PAGE=100;
function el(t,a,x){var e=document.createElement(t);if(a)for(var k in a)e.setAttribute(k,a[k]);if(x!=null)e.textContent=x;return e;}
function web(u){return typeof u==='string'&&/^https?:\/\//i.test(u.trim());}
function link(u){if(!u)return document.createTextNode('');if(!web(u))return document.createTextNode(u);return el('a',{href:u.trim(),rel:'noreferrer nofollow',target:'_blank'},u);}
function lag(s){if(s==null)return 'undated';var g=s<0?'-':'+',m=Math.floor(Math.abs(s)/60),d=Math.floor(m/1440),h=Math.floor(m/60)%24;m=m%60;return d?g+d+'d '+h+'h':h?g+h+'h '+m+'m':g+m+'m';}
function dt(m){return m[4]?m[4]+(m[5]?' (crawl date)':''):'undated';}
function lagOf(s,l,a,b){return lag(l)+(l!=null&&(s.m[a][5]||s.m[b][5])?' (from a crawl date)':'');}
function pct(x){return Math.round(x*100)+'%';}
function tag(t){return el('span',{'class':'tag t-'+TY[t]},TY[t]);}
var rows=[];D.stories.forEach(function(s,i){s.cp.forEach(function(c,k){rows.push([i,k]);});});
function S(r){return D.stories[r[0]];}function C(r){return S(r).cp[r[1]];}function M(r,j){return S(r).m[j];}
var cols=[
 ['Story',function(r){return S(r).n;},1],
 ['Original',function(r){return O[M(r,S(r).o)[0]];}],
 ['Copy outlet',function(r){return O[M(r,C(r)[0])[0]];}],
 ['Copy headline',function(r){return M(r,C(r)[0])[2]||'';}],
 ['Copy URL',function(r){return M(r,C(r)[0])[3]||'';}],
 ['Published',function(r){return M(r,C(r)[0])[4]||'';}],
 ['Lag',function(r){var l=C(r)[2];return l==null?Infinity:l;},1],
 ['Type',function(r){return TY[C(r)[3]];}],
 ['Credit',function(r){return C(r)[6]?(C(r)[7]||'yes'):'';}],
 ['Coverage',function(r){return C(r)[4];},1]];
var tb=document.querySelector('#copies-tbl tbody'),heads=document.querySelectorAll('#copies-tbl thead th');
var fo=document.getElementById('f-outlet'),ft=document.getElementById('f-type'),fu=document.getElementById('f-unattr'),fc=document.getElementById('f-count');
var shown=rows,page=0,sortBy=-1,dir=1;
function cell(tr,x,cls){var td=el('td',cls?{'class':cls}:null);if(x instanceof Node)td.appendChild(x);else td.textContent=x;tr.appendChild(td);return td;}
function draw(){tb.textContent='';var n=shown.length,a=page*PAGE,b=Math.min(n,a+PAGE);
 for(var i=a;i<b;i++){var r=shown[i],s=S(r),c=C(r),m=M(r,c[0]),tr=el('tr',{'data-attr':String(c[6])});
  var sa=el('a',{href:'#story-'+s.n},String(s.n));cell(tr,sa);cell(tr,O[M(r,s.o)[0]]);cell(tr,O[m[0]]);cell(tr,m[2]||'','hl');cell(tr,link(m[3]),'url');cell(tr,dt(m));cell(tr,lagOf(s,c[2],c[0],c[1]));cell(tr,tag(c[3]));
  var cr=cell(tr,c[6]?(c[7]?'yes: \u201c'+c[7]+'\u201d':'yes'):'no',c[6]?'':'no');cell(tr,pct(c[4]));tb.appendChild(tr);}
 fc.textContent=n===rows.length?n+' copies':n+' of '+rows.length+' copies shown';
 document.getElementById('p-info').textContent=n?'rows '+(a+1)+'\u2013'+b+' of '+n:'no rows';
 document.getElementById('p-prev').disabled=page===0;document.getElementById('p-next').disabled=b>=n;}
function apply(){var q=fo.value.trim().toLowerCase(),t=ft.value,u=fu.checked;
 shown=rows.filter(function(r){var c=C(r);if(u&&c[6])return false;if(t!==''&&String(c[3])!==t)return false;
  if(q){var s=S(r);return O[M(r,c[0])[0]].toLowerCase().indexOf(q)>=0||O[M(r,c[1])[0]].toLowerCase().indexOf(q)>=0||O[M(r,s.o)[0]].toLowerCase().indexOf(q)>=0;}return true;});
 if(sortBy>=0)order();page=0;draw();}
function order(){var f=cols[sortBy][1],num=cols[sortBy][2];shown.sort(function(x,y){var a=f(x),b=f(y);if(!num){a=String(a).toLowerCase();b=String(b).toLowerCase();}return (a<b?-1:a>b?1:0)*dir||(x[0]-y[0])||(x[1]-y[1]);});}
[].forEach.call(heads,function(th,i){var b=th.querySelector('button');b.addEventListener('click',function(){dir=sortBy===i?-dir:1;sortBy=i;[].forEach.call(heads,function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir===1?'ascending':'descending');order();page=0;draw();});});
fo.addEventListener('input',apply);ft.addEventListener('change',apply);fu.addEventListener('change',apply);
document.getElementById('p-prev').addEventListener('click',function(){if(page>0){page--;draw();}});
document.getElementById('p-next').addEventListener('click',function(){if((page+1)*PAGE<shown.length){page++;draw();}});
function unattributed(){var seen={},out=[];shown.forEach(function(r){var c=C(r),u=M(r,c[0])[3];if(!c[6]&&u&&!seen[u]){seen[u]=1;out.push(u);}});return out;}
document.getElementById('b-urls').addEventListener('click',function(){var l=unattributed(),ta=document.getElementById('urls');ta.hidden=false;ta.value=l.join('\n');ta.focus();ta.select();
 var msg=document.getElementById('b-msg');function ok(){msg.textContent=l.length+' URLs copied';}
 try{if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(ta.value).then(ok,function(){msg.textContent=l.length+' URLs selected: press Ctrl+C';});}else{document.execCommand('copy');ok();}}catch(e){msg.textContent=l.length+' URLs selected: press Ctrl+C';}});
function csvf(x){x=x==null?'':String(x);if(/^[=+\-@\t\r]/.test(x))x="'"+x;return /[",\r\n]/.test(x)?'"'+x.replace(/"/g,'""')+'"':x;}
document.getElementById('b-csv').addEventListener('click',function(){var lines=['story,cluster,original_outlet,copy_outlet,copy_id,copy_title,copy_url,published,lag_seconds,type,attributed,credit,coverage,crawl_date'];
 shown.forEach(function(r){var s=S(r),c=C(r),m=M(r,c[0]);lines.push([s.n,s.c,O[M(r,s.o)[0]],O[m[0]],m[1],m[2],m[3],m[4],c[2],TY[c[3]],c[6]?'yes':'no',c[7],c[4],m[5]?'yes':''].map(csvf).join(','));});
 var a=el('a',{download:'copies.csv',href:URL.createObjectURL(new Blob([lines.join('\r\n')+'\r\n'],{type:'text/csv'}))});document.body.appendChild(a);a.click();a.remove();});
function marks(text,ranges){var f=document.createDocumentFragment(),r=ranges.slice().sort(function(a,b){return a[0]-b[0];}),pos=0;
 r.forEach(function(x){var s=Math.max(x[0],pos),e=Math.min(x[1],text.length);if(s>=e)return;if(s>pos)f.appendChild(document.createTextNode(text.slice(pos,s)));f.appendChild(el('mark',null,text.slice(s,e)));pos=e;});
 if(pos<text.length)f.appendChild(document.createTextNode(text.slice(pos)));return f;}
function sideBySide(s,k,box){var c=s.cp[k],sp=s.sp[k]||[];var g=el('div',{'class':'sbs'});
 [[c[1],'Source: ',2],[c[0],'Copy: ',0]].forEach(function(x){var d=el('div');d.appendChild(el('h4',null,x[1]+O[s.m[x[0]][0]]+' \u00b7 '+s.m[x[0]][1]));var t=el('div',{'class':'txt'});
  t.appendChild(marks(s.t[x[0]]||'',sp.map(function(p){return [p[x[2]],p[x[2]+1]];})));d.appendChild(t);g.appendChild(d);});box.appendChild(g);}
var view=document.getElementById('story'),main=document.getElementById('main');
function chainLag(s,i){if(i===s.o)return 0;var by={};s.cp.forEach(function(c){by[c[0]]=c;});var t=0,j=i,guard=0;
 var vs={};s.v.forEach(function(v){vs[v[0]]=v;});while(j!==s.o&&guard++<1e4){var c=by[j]||vs[j];if(!c)return null;var l=by[j]?c[2]:c[3];if(l==null)return null;t+=l;j=by[j]?c[1]:c[1];}return t;}
function story(n){var s=null;for(var i=0;i<D.stories.length;i++)if(D.stories[i].n===n){s=D.stories[i];break;}
 view.textContent='';if(!s){var q=el('p',null,'Story '+n+' is not on this page.');(D.pages||[]).forEach(function(p){if(n>=p[0]&&n<=p[1]){q.textContent='Story '+n+' is on ';q.appendChild(el('a',{href:p[2]+'#story-'+n},p[2]));q.appendChild(document.createTextNode('.'));}});view.appendChild(q);return;}
 var o=s.m[s.o];view.appendChild(el('p',null)).appendChild(el('a',{href:'#copies'},'\u2190 All copies'));
 view.appendChild(el('h2',null,s.n+'. '+(o[2]||o[1])));var p=el('p');p.appendChild(document.createTextNode('Original: '+O[o[0]]+' \u00b7 '+o[1]+' \u00b7 '+dt(o)+' \u00b7 '));p.appendChild(link(o[3]));view.appendChild(p);
 view.appendChild(el('p',{'class':'ev mut'},'Decided by '+s.ev+': '+s.note));
 if(s.cap)view.appendChild(el('p',{'class':'mut'},s.m.length+' members: each copy was compared with at most '+s.cap+' earlier ones.'));
 if(s.v.length){view.appendChild(el('h3',null,'The outlets\u2019 own versions (not copies)'));var ul=el('ul');s.v.forEach(function(v){var li=el('li'),m=s.m[v[0]];li.appendChild(document.createTextNode(O[m[0]]+' \u00b7 '+m[1]+' \u00b7 '+v[2]+' as '+s.m[v[1]][1]+' \u00b7 '+lagOf(s,v[3],v[0],v[1])+' \u00b7 '));li.appendChild(link(m[3]));ul.appendChild(li);});view.appendChild(ul);}
 view.appendChild(el('h3',null,'Timeline'));var lg=el('div',{'class':'legend'});[['d-origin','original'],['','copy, credited'],['d-unattr','copy, no credit found'],['d-version','outlet\u2019s own version']].forEach(function(x){var sp=el('span');sp.appendChild(el('span',{'class':'dot '+x[0]}));sp.appendChild(document.createTextNode(x[1]));lg.appendChild(sp);});view.appendChild(lg);
 var items=[[s.o,'d-origin','original']];s.cp.forEach(function(c){items.push([c[0],c[6]?'':'d-unattr',TY[c[3]]]);});s.v.forEach(function(v){items.push([v[0],'d-version','version']);});items=items.slice(0,200);
 var lags=items.map(function(x){return chainLag(s,x[0]);}),max=Math.max.apply(null,lags.filter(function(x){return x!=null;}).concat([1]));
 var ol=el('ol',{'class':'tl'});items.forEach(function(x,j){var li=el('li'),a=el('span');a.appendChild(el('b',null,O[s.m[x[0]][0]]));a.appendChild(document.createTextNode(' '+x[2]+(j?' after '+lag(lags[j]):'')));li.appendChild(a);
  var tr=el('span',{'class':'track',title:dt(s.m[x[0]])});if(lags[j]!=null)tr.appendChild(el('span',{'class':'dot '+x[1],style:'left:'+Math.min(100,Math.max(0,lags[j])/max*100).toFixed(1)+'%'}));li.appendChild(tr);ol.appendChild(li);});view.appendChild(ol);
 view.appendChild(el('h3',null,'Copies side by side with their source'));
 if(!s.t){var q=el('p',{'class':'mut'});if(s.at){q.appendChild(document.createTextNode('The texts are on '));q.appendChild(el('a',{href:s.at+'#story-'+s.n},s.at));q.appendChild(document.createTextNode('.'));}else q.textContent=D.textsNote;view.appendChild(q);}
 s.cp.slice(0,300).forEach(function(c,k){var m=s.m[c[0]],pm=s.m[c[1]],d=el('details',{'data-copy':String(k)}),sm=el('summary');
  sm.appendChild(el('b',null,O[m[0]]));sm.appendChild(document.createTextNode(' copied from '+O[pm[0]]+' \u00b7 '));sm.appendChild(tag(c[3]));
  sm.appendChild(document.createTextNode(' \u00b7 '+lagOf(s,c[2],c[0],c[1])+' \u00b7 coverage '+pct(c[4])+' \u00b7 '));sm.appendChild(c[6]?el('span',{'class':'ok'},'credited'+(c[7]?': \u201c'+c[7]+'\u201d':'')):el('span',{'class':'bad'},'no credit found'));d.appendChild(sm);
  var info=el('p');info.appendChild(document.createTextNode('\u201c'+(m[2]||'(no headline)')+'\u201d \u00b7 '+m[1]+' \u00b7 '+dt(m)+' \u00b7 '));info.appendChild(link(m[3]));d.appendChild(info);
  d.appendChild(el('p',{'class':'mut'},'Jaccard '+c[5].toFixed(2)+' \u00b7 '+pct(c[9])+' of the copy found in the source \u00b7 '+pct(c[4])+' of the source found in the copy \u00b7 '+pct(c[10])+' / '+pct(c[11])+' of words in shared passages \u00b7 '+c[12]+' passages'));
  d.addEventListener('toggle',function(){if(d.open&&s.t&&!d.querySelector('.sbs'))sideBySide(s,k,d);});view.appendChild(d);});
 if(s.cp.length>300)view.appendChild(el('p',{'class':'mut'},(s.cp.length-300)+' more copies are in the table.'));}
function route(){var h=location.hash,m=/^#story-(\d+)$/.exec(h);if(m){main.hidden=true;view.hidden=false;story(+m[1]);window.scrollTo(0,0);var h2=view.querySelector('h2');if(h2){h2.setAttribute('tabindex','-1');h2.focus();}}else{view.hidden=true;main.hidden=false;if(h==='#outlets'||h==='#copies'){var t=document.getElementById(h.slice(1));if(t)t.scrollIntoView();}}}
window.addEventListener('hashchange',route);apply();route();document.documentElement.setAttribute('data-ready','1');
})();
"#;

/// The outlet view: a table of the top outlets and the who-copies-whom
/// matrix (SVG), rendered here so it shows without the script.
fn outlet_view(report: &Report, h: &mut String) {
    h.push_str("<section id=\"outlets\"><h2>Outlets: who copies whom</h2>\n");
    if report.outlets.is_empty() {
        h.push_str("<p class=\"mut\">No copies.</p></section>\n");
        return;
    }
    h.push_str("<div class=\"ov\"><div><table id=\"outlet-table\"><thead><tr><th>Copying outlet</th><th>Copies</th><th>Stories</th><th>Took most from</th><th>Credited</th><th>Median lag</th><th>Types</th></tr></thead><tbody>\n");
    for o in report.outlets.iter().take(OUTLET_ROWS) {
        let from: Vec<String> = o
            .from
            .iter()
            .take(3)
            .map(|t| format!("{} ({})", escape(&t.outlet), t.copies))
            .collect();
        let t = &o.types;
        let types: Vec<String> = [
            ("verbatim", t.verbatim),
            ("excerpt", t.excerpt),
            ("expanded", t.expanded),
            ("reworded", t.reworded),
            ("quoted", t.quoted),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("<span class=\"tag t-{k}\">{k} {n}</span>"))
        .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{}\">{:.0}%</td><td>{}</td><td>{}</td></tr>",
            escape(&o.outlet),
            o.copies,
            o.stories,
            from.join(", "),
            if o.credited_share < 0.5 { "no" } else { "" },
            o.credited_share * 100.0,
            format_lag(o.median_lag_seconds),
            types.join(" ")
        );
    }
    h.push_str("</tbody></table>");
    if report.outlets.len() > OUTLET_ROWS {
        let _ = write!(
            h,
            "<p class=\"mut\">{} more copying outlets are in the JSON report (<code>outlets</code>).</p>",
            report.outlets.len() - OUTLET_ROWS
        );
    }
    h.push_str("</div>");
    matrix(report, h);
    h.push_str("</div></section>\n");
}

/// The who-copies-whom matrix of the most active outlets, as SVG: a row
/// per copying outlet, a column per outlet copied from, darker for more
/// copies, the count in each cell.
fn matrix(report: &Report, h: &mut String) {
    let rows: Vec<&super::model::OutletReport> = report.outlets.iter().take(MATRIX_SIZE).collect();
    let mut taken: std::collections::HashMap<&str, usize> = Default::default();
    for o in &report.outlets {
        for t in &o.from {
            *taken.entry(t.outlet.as_str()).or_default() += t.copies;
        }
    }
    let mut cols: Vec<(&str, usize)> = taken.into_iter().collect();
    cols.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    cols.truncate(MATRIX_SIZE);
    let count = |r: &super::model::OutletReport, c: &str| {
        r.from
            .iter()
            .find(|t| t.outlet == c)
            .map_or(0, |t| t.copies)
    };
    let max = rows
        .iter()
        .flat_map(|r| cols.iter().map(move |c| count(r, c.0)))
        .max()
        .unwrap_or(1)
        .max(1);
    let (cell, left, top) = (30usize, 150usize, 130usize);
    // Room on the right for the last rotated column labels.
    let (w, ht) = (left + cell * cols.len() + 100, top + cell * rows.len() + 30);
    let short = |s: &str| {
        let t: String = s.chars().take(22).collect();
        if t.len() < s.len() {
            format!("{t}…")
        } else {
            t
        }
    };
    let _ = write!(
        h,
        "<figure><svg id=\"matrix\" role=\"img\" aria-labelledby=\"mx-t\" width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"mx-t\">Copies by copying outlet (rows) and outlet copied from (columns)</title>"
    );
    for (j, (c, _)) in cols.iter().enumerate() {
        let x = left + j * cell + cell / 2;
        let _ = write!(
            h,
            "<text transform=\"translate({x},{}) rotate(-55)\">{}</text>",
            top - 6,
            escape(&short(c))
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + i * cell;
        let _ = write!(
            h,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6,
            y + cell / 2 + 4,
            escape(&short(&r.outlet))
        );
        for (j, (c, _)) in cols.iter().enumerate() {
            let n = count(r, c);
            let x = left + j * cell;
            let a = if n == 0 {
                0.0
            } else {
                0.12 + 0.88 * n as f64 / max as f64
            };
            let _ = write!(
                h,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"#2456a6\" fill-opacity=\"{a:.2}\" stroke=\"#dfe3e8\"><title>{} took {n} from {}</title></rect>",
                cell - 1,
                cell - 1,
                escape(&r.outlet),
                escape(c)
            );
            if n > 0 {
                let fill = if a > 0.55 { "#fff" } else { "#1d232b" };
                let _ = write!(
                    h,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" style=\"fill:{fill}\">{n}</text>",
                    x + cell / 2,
                    y + cell / 2 + 4
                );
            }
        }
    }
    let _ = write!(
        h,
        "<text x=\"{left}\" y=\"{}\" class=\"mut\">rows copied from columns · darker: more</text></svg></figure>",
        top + cell * rows.len() + 20
    );
}

/// What a page is, for what it shows besides its stories.
enum PageKind<'a> {
    /// One file with every story: the outlet view.
    Single,
    /// A directory's `index.html`: the outlet view and the list of pages
    /// (markup, escaped already).
    Index { pages: &'a str },
    /// A directory's page of stories: a link to the index's outlet view.
    Stories,
}

/// The page around the data: header, navigation, the outlet view, the
/// table's frame, the data element and the script.
fn page(
    report: &Report,
    listed: usize,
    note: &str,
    kind: PageKind,
    data: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let s = &report.summary;
    let mut h = String::with_capacity(64 * 1024);
    let title = match report.mode {
        Mode::Scan => "Republication report",
        Mode::Check => "Who republished my articles?",
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>wiretrace: {title}</title>\n<style>{STYLE}</style></head><body>\n<header><h1>{title}</h1>\n"
    );
    if let (Some(o), Some(none)) = (s.originals, &s.not_republished) {
        let _ = writeln!(
            h,
            "<p class=\"sum\">{o} of your articles checked: {} republished, {} not found elsewhere.</p>",
            o - none.len(),
            none.len()
        );
    }
    let _ = writeln!(
        h,
        "<p class=\"sum\">{} stories, {} copies: {} verbatim, {} excerpt, {} expanded, {} reworded, {} quoted. <span class=\"bad\">{} unattributed</span>, {} attributed. {} outlets’ own versions (not copies).</p>",
        s.stories, s.copies, s.verbatim, s.excerpt, s.expanded, s.reworded, s.quoted, s.unattributed, s.attributed, s.versions,
    );
    if !note.is_empty() {
        let _ = writeln!(h, "<p class=\"mut\">{}</p>", escape(note));
    }
    let _ = write!(
        h,
        "<p class=\"mut\">wiretrace {} · schema {} · seed {} · {listed} stories on this page</p></header>\n<nav><a href=\"#copies\">All copies</a><a href=\"#outlets\">Outlets</a></nav>\n<main id=\"main\">\n",
        report.wiretrace, report.schema, report.settings.seed,
    );
    match kind {
        PageKind::Single => outlet_view(report, &mut h),
        PageKind::Index { pages } => {
            outlet_view(report, &mut h);
            h.push_str(pages);
        }
        PageKind::Stories => h.push_str(
            "<section id=\"outlets\"><h2>Outlets: who copies whom</h2>\n<p class=\"mut\">The outlet view of every story, and the totals, are on <a href=\"index.html#outlets\">index.html</a>.</p></section>\n",
        ),
    }
    h.push_str("<section id=\"copies\"><h2>All copies</h2>\n<div class=\"filters\"><label>Outlet <input id=\"f-outlet\" type=\"search\" placeholder=\"copy, source or original outlet\"></label><label>Type <select id=\"f-type\"><option value=\"\">all</option>");
    for (i, t) in TYPES.iter().enumerate() {
        let _ = write!(h, "<option value=\"{i}\">{t}</option>");
    }
    h.push_str("</select></label><label><input id=\"f-unattr\" type=\"checkbox\"> unattributed only</label><span id=\"f-count\" class=\"mut\"></span><button id=\"b-urls\" type=\"button\">Copy unattributed URLs</button><button id=\"b-csv\" type=\"button\">Download shown rows as CSV</button><span id=\"b-msg\" class=\"mut\" role=\"status\"></span></div>\n<textarea id=\"urls\" hidden readonly aria-label=\"Unattributed copy URLs\"></textarea>\n");
    h.push_str("<table id=\"copies-tbl\"><thead><tr>");
    for c in [
        "Story",
        "Original",
        "Copy outlet",
        "Copy headline",
        "Copy URL",
        "Published",
        "Lag",
        "Type",
        "Credit",
        "Coverage",
    ] {
        let _ = write!(
            h,
            "<th scope=\"col\"><button type=\"button\">{c}</button></th>"
        );
    }
    h.push_str("</tr></thead><tbody></tbody></table>\n<div class=\"pager\"><button id=\"p-prev\" type=\"button\">Previous</button><span id=\"p-info\" class=\"mut\"></span><button id=\"p-next\" type=\"button\">Next</button></div>\n<noscript><p>The table and the stories are drawn by the page's script; the JSON report has the same data.</p></noscript></section>\n");
    if let Some(none) = s.not_republished.as_ref().filter(|v| !v.is_empty()) {
        h.push_str("<section><h2>Not found elsewhere</h2><ul>");
        for id in none {
            let _ = write!(h, "<li>{}</li>", escape(id));
        }
        h.push_str("</ul></section>\n");
    }
    h.push_str("</main>\n<section id=\"story\" hidden></section>\n<script type=\"application/json\" id=\"wt-data\">");
    out.write_all(h.as_bytes())?;
    data(out)?;
    out.write_all(b"</script>\n<script>")?;
    out.write_all(SCRIPT.as_bytes())?;
    out.write_all(b"</script>\n</body></html>\n")
}

/// The data element's opening, up to the first story.
fn data_head(texts_note: &str, out: &mut String) {
    out.push_str("{\"types\":[");
    for (i, t) in TYPES.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{t}\"");
    }
    out.push_str("],\"textsNote\":");
    json_str(texts_note, out);
    out.push_str(",\"stories\":[\n");
}

/// The data element's end: the interned outlet names, once all are known,
/// and for a directory's index the pages (first and last story number,
/// file name), so a story not listed in the index is found on its page.
fn data_tail(outlets: &Outlets, pages: &[PageRow], out: &mut String) {
    out.push_str("],\"outlets\":[");
    for (i, o) in outlets.names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(o, out);
    }
    out.push(']');
    if !pages.is_empty() {
        out.push_str(",\"pages\":[");
        for (i, p) in pages.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "[{},{},", p.first, p.last);
            json_str(&p.file, out);
            out.push(']');
        }
        out.push(']');
    }
    out.push('}');
}

/// Writes the data element's content for `stories` to `w`, a story at a
/// time (a large report is hundreds of megabytes: it is never held whole).
fn write_data<'a>(
    stories: impl Iterator<Item = (usize, &'a StoryReport, Texts<'a>)>,
    texts_note: &str,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = String::with_capacity(1 << 16);
    data_head(texts_note, &mut out);
    let mut outlets = Outlets::default();
    for (k, (n, s, t)) in stories.enumerate() {
        if k > 0 {
            out.push_str(",\n");
        }
        story_json(s, n, t, &mut outlets, &mut out);
        if out.len() >= 1 << 16 {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    data_tail(&outlets, &[], &mut out);
    w.write_all(out.as_bytes())
}

/// Writes `report` as one self-contained page under `opts`.
pub fn write_with(report: &Report, opts: &HtmlOptions, w: &mut dyn Write) -> std::io::Result<()> {
    let listed = opts
        .max_stories
        .unwrap_or(usize::MAX)
        .min(report.stories.len());
    // Which stories carry their texts: the largest first, within the budget.
    let mut budget = opts.text_budget;
    let here: Vec<bool> = report.stories[..listed]
        .iter()
        .map(|s| {
            let size: usize = s.texts.iter().map(String::len).sum();
            let fits = !s.texts.is_empty() && size <= budget;
            if fits {
                budget -= size;
            }
            fits
        })
        .collect();
    let left_out = here.iter().filter(|&&h| !h).count();
    let texts_note = format!(
        "The texts of this story are not in this page (it holds at most {} MB of article text, largest stories first): write the report to a directory (--report DIR/) for a page per {STORIES_PER_PAGE} stories with every text.",
        opts.text_budget / 1_000_000
    );
    let mut note = String::new();
    if listed < report.stories.len() {
        note = format!(
            "The {listed} largest stories are listed here; the {} others are in the JSON report (--report-format json).",
            report.stories.len() - listed
        );
    }
    if left_out > 0 {
        note.push_str(&format!(
            " The side-by-side texts of {left_out} stories are left out of this page to keep it small; --report DIR/ writes them all."
        ));
    }
    let mut data = |w: &mut dyn Write| {
        let stories = report.stories[..listed]
            .iter()
            .zip(&here)
            .enumerate()
            .map(|(i, (s, &h))| {
                let t = if h {
                    Texts::Here(&s.texts)
                } else {
                    Texts::Left
                };
                (i + 1, s, t)
            });
        write_data(stories, &texts_note, w)
    };
    page(report, listed, note.trim(), PageKind::Single, &mut data, w)
}

/// Renders `report` as one HTML page with the default [`HtmlOptions`].
pub fn render(report: &Report) -> String {
    let mut v = Vec::new();
    let _ = write_with(report, &HtmlOptions::default(), &mut v);
    String::from_utf8(v).unwrap_or_default()
}

/// Writes `report` as one self-contained HTML page (default options).
pub fn write(report: &Report, w: &mut dyn Write) -> std::io::Result<()> {
    write_with(report, &HtmlOptions::default(), w)
}

/// Bytes of article text one page of a directory report holds at most
/// (a page ends at [`STORIES_PER_PAGE`] stories or there, whichever comes
/// first, but holds at least one story): with its stories' metadata the
/// page stays under about 20 MB, which a browser opens in a second or two.
pub const PAGE_TEXT_BUDGET: usize = 12_000_000;

/// Bytes of story data (metadata, no texts) a directory's `index.html`
/// holds: the largest stories are listed there until it is spent, the
/// rest only on their pages, so the index stays near 15 MB however large
/// the scan (at 50,000 articles every story fits).
pub const INDEX_BUDGET: usize = 12_000_000;

/// One page of a directory report, as the index lists it.
#[derive(Debug, Clone)]
struct PageRow {
    file: String,
    /// First and last story number (1-based) on it.
    first: usize,
    last: usize,
    copies: usize,
    unattributed: usize,
    /// The first (largest) story's outlet and headline.
    top: String,
}

/// Writes a report into a directory a page at a time: each call to
/// [`DirWriter::add`] writes the pages of the stories given (texts
/// included) and keeps of them only what the index needs (the counts, the
/// outlet view's tallies, the data of the largest stories up to
/// [`INDEX_BUDGET`] bytes, a row per page), so memory holds one batch of
/// stories at a time, not the report. [`DirWriter::finish`] writes
/// `index.html`: the totals, the outlet view, the list of pages, and the
/// table of the largest stories. Every page is self-contained and written
/// atomically.
pub struct DirWriter {
    dir: std::path::PathBuf,
    force: bool,
    /// Mode, settings and (so far) totals; no stories.
    head: Report,
    total: usize,
    next: usize,
    tally: super::model::OutletTally,
    index_outlets: Outlets,
    index_data: Vec<String>,
    index_bytes: usize,
    index_full: bool,
    index_copies: usize,
    pages: Vec<PageRow>,
    written: Vec<std::path::PathBuf>,
    page_text_budget: usize,
    index_budget: usize,
}

impl DirWriter {
    /// A writer into `dir` (which must exist) for a report of `total`
    /// stories over `articles` articles. Existing files are replaced only
    /// with `force`; `index.html` is checked now, so a report directory
    /// already holding one fails before any work is done.
    pub fn new(
        dir: &Path,
        force: bool,
        mode: Mode,
        settings: super::model::Settings,
        articles: u64,
        total: usize,
    ) -> Result<Self, crate::Error> {
        super::Output::resolve(&dir.join("index.html"), force)?;
        Ok(DirWriter {
            dir: dir.to_owned(),
            force,
            head: Report {
                schema: super::model::SCHEMA,
                wiretrace: env!("CARGO_PKG_VERSION"),
                mode,
                settings,
                summary: super::model::Summary {
                    articles,
                    stories: total,
                    ..Default::default()
                },
                outlets: Vec::new(),
                stories: Vec::new(),
            },
            total,
            next: 0,
            tally: Default::default(),
            index_outlets: Outlets::default(),
            index_data: Vec::new(),
            index_bytes: 0,
            index_full: false,
            index_copies: 0,
            pages: Vec::new(),
            written: Vec::new(),
            page_text_budget: PAGE_TEXT_BUDGET,
            index_budget: INDEX_BUDGET,
        })
    }

    /// Other budgets than [`PAGE_TEXT_BUDGET`] and [`INDEX_BUDGET`]
    /// (bytes of text per page, bytes of story data in the index).
    pub fn with_budgets(mut self, page_text: usize, index: usize) -> Self {
        self.page_text_budget = page_text;
        self.index_budget = index;
        self
    }

    /// Writes `stories` (the next ones of the report, in its order, with
    /// their texts in [`StoryReport::texts`]) as one page or more: a page
    /// ends after [`STORIES_PER_PAGE`] stories or [`PAGE_TEXT_BUDGET`]
    /// bytes of text. Fails with the path when a page cannot be written.
    pub fn add(&mut self, stories: &[StoryReport]) -> Result<(), crate::Error> {
        let mut start = 0;
        while start < stories.len() {
            let mut end = start;
            let mut bytes = 0;
            while end < stories.len() && end - start < STORIES_PER_PAGE {
                let b: usize = stories[end].texts.iter().map(String::len).sum();
                if end > start && bytes + b > self.page_text_budget {
                    break;
                }
                bytes += b;
                end += 1;
            }
            self.write_page(&stories[start..end])?;
            start = end;
        }
        Ok(())
    }

    fn write_page(&mut self, stories: &[StoryReport]) -> Result<(), crate::Error> {
        let first = self.next + 1;
        let last = self.next + stories.len();
        let file = format!("stories-{:04}.html", self.pages.len() + 1);
        // The page's header: its own counts, no outlet view.
        let mut head = self.head.clone();
        head.summary = super::model::Summary {
            articles: self.head.summary.articles,
            stories: stories.len(),
            ..Default::default()
        };
        for s in stories {
            head.summary.add_story(s);
        }
        let note = format!(
            "Stories {first} to {last} of {}, with their texts; the counts above are this page's: index.html has the totals, the outlet view and every page.",
            self.total
        );
        let mut d = |w: &mut dyn Write| {
            let it = stories
                .iter()
                .enumerate()
                .map(|(k, s)| (first + k, s, Texts::Here(&s.texts)));
            write_data(it, "", w)
        };
        let path = self.dir.join(&file);
        super::Output::resolve(&path, self.force)?
            .write(|w| page(&head, stories.len(), &note, PageKind::Stories, &mut d, w))?;
        self.written.push(path);
        // What the index keeps.
        for (k, s) in stories.iter().enumerate() {
            self.head.summary.add_story(s);
            self.tally.add(s);
            if self.index_full {
                continue;
            }
            let mut j = String::new();
            story_json(
                s,
                first + k,
                Texts::At(file.clone()),
                &mut self.index_outlets,
                &mut j,
            );
            if self.index_bytes + j.len() > self.index_budget {
                // Listed stories stay a prefix: the largest ones.
                self.index_full = true;
                continue;
            }
            self.index_bytes += j.len();
            self.index_copies += s.copies.len();
            self.index_data.push(j);
        }
        let top = stories
            .first()
            .and_then(|s| s.members.get(s.origin))
            .map_or_else(String::new, |o| {
                format!(
                    "{}: {}",
                    o.outlet(),
                    o.title.as_deref().unwrap_or(o.id.as_str())
                )
            });
        self.pages.push(PageRow {
            file,
            first,
            last,
            copies: stories.iter().map(|s| s.copies.len()).sum(),
            unattributed: stories
                .iter()
                .flat_map(|s| &s.copies)
                .filter(|c| !c.attribution.attributed)
                .count(),
            top,
        });
        self.next = last;
        Ok(())
    }

    /// Writes `index.html` and returns every file written (the index
    /// first). In [`Mode::Check`], `check` is the editor's articles read
    /// and the ids of those with no copy (the summary's `originals` and
    /// `not_republished`).
    pub fn finish(
        mut self,
        check: Option<(usize, Vec<String>)>,
    ) -> Result<Vec<std::path::PathBuf>, crate::Error> {
        if let Some((o, none)) = check {
            self.head.summary.originals = Some(o);
            self.head.summary.not_republished = Some(none);
        }
        self.head.outlets = std::mem::take(&mut self.tally).finish();
        let listed = self.index_data.len();
        let n = self.next;
        let note = if listed < n {
            format!(
                "This index lists the {listed} largest stories ({} copies) without their texts; the other {} are on the pages listed below, {} pages of up to {STORIES_PER_PAGE} stories with their texts.",
                self.index_copies,
                n - listed,
                self.pages.len()
            )
        } else {
            format!(
                "This index lists every story without its texts; open a story for its timeline and a link to its side-by-side view ({} pages of up to {STORIES_PER_PAGE} stories).",
                self.pages.len()
            )
        };
        let mut pages = String::from(
            "<section id=\"pages\"><h2>Pages</h2>\n<table id=\"pages-table\"><thead><tr><th>Page</th><th>Stories</th><th>Copies</th><th>Unattributed</th><th>Largest story</th></tr></thead><tbody>\n",
        );
        for p in &self.pages {
            let _ = writeln!(
                pages,
                "<tr><td><a href=\"{f}\">{f}</a></td><td>{}&ndash;{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                p.first,
                p.last,
                p.copies,
                p.unattributed,
                escape(&p.top),
                f = escape(&p.file),
            );
        }
        pages.push_str("</tbody></table></section>\n");
        let (data, outlets, rows) = (&self.index_data, &self.index_outlets, &self.pages);
        let mut d = |w: &mut dyn Write| {
            let mut out = String::with_capacity(1 << 16);
            data_head("", &mut out);
            for (k, j) in data.iter().enumerate() {
                if k > 0 {
                    out.push_str(",\n");
                }
                out.push_str(j);
                if out.len() >= 1 << 16 {
                    w.write_all(out.as_bytes())?;
                    out.clear();
                }
            }
            data_tail(outlets, rows, &mut out);
            w.write_all(out.as_bytes())
        };
        let index = self.dir.join("index.html");
        let kind = PageKind::Index { pages: &pages };
        super::Output::resolve(&index, self.force)?
            .write(|w| page(&self.head, listed, &note, kind, &mut d, w))?;
        let mut files = vec![index];
        files.append(&mut self.written);
        Ok(files)
    }
}

/// Writes `report` into the directory `dir` (see [`DirWriter`]):
/// `index.html` and pages of up to [`STORIES_PER_PAGE`] stories with
/// their texts. `texts(i)` gives story `i`'s member texts when the report
/// does not hold them. Every file is written atomically; an existing one
/// is replaced only with `force`. Returns the files written, the index
/// first.
pub fn write_dir(
    report: &Report,
    dir: &Path,
    force: bool,
    texts: &(dyn Fn(usize) -> Vec<String> + Sync),
) -> Result<Vec<std::path::PathBuf>, crate::Error> {
    let mut w = DirWriter::new(
        dir,
        force,
        report.mode,
        report.settings.clone(),
        report.summary.articles,
        report.stories.len(),
    )?;
    for (p, chunk) in report.stories.chunks(STORIES_PER_PAGE).enumerate() {
        let batch: Vec<StoryReport> = chunk
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let mut s = s.clone();
                if s.texts.is_empty() {
                    s.texts = texts(p * STORIES_PER_PAGE + k);
                }
                s
            })
            .collect();
        w.add(&batch)?;
    }
    let check = report
        .summary
        .originals
        .zip(report.summary.not_republished.clone());
    w.finish(check)
}

/// Traces `clusters` of `corpus` (every cluster of two or more, as
/// [`Report::from_clusters`] does in [`Mode::Scan`]) and writes the HTML
/// report into `dir` a page at a time ([`DirWriter`]): each batch of
/// [`STORIES_PER_PAGE`] stories is traced with its texts, written and
/// dropped, so memory holds one batch, not the report (a million-article
/// scan has some 250,000 stories). The stories and pages are those of
/// [`write_dir`] on the whole report. Returns the files written.
///
/// Fails when `clusters` does not fit `corpus`, or a page cannot be written.
pub fn write_dir_from_clusters(
    corpus: &crate::ingest::Corpus,
    clusters: &crate::cluster::Clusters,
    settings: super::model::Settings,
    dir: &Path,
    force: bool,
) -> Result<Vec<std::path::PathBuf>, crate::Error> {
    let listed = crate::lineage::clusters_to_trace(corpus, clusters, None)?;
    let mut w = DirWriter::new(
        dir,
        force,
        Mode::Scan,
        settings.clone(),
        corpus.len() as u64,
        listed.len(),
    )?;
    let tracer = crate::lineage::Tracer::new(corpus, &settings.lineage, None);
    for batch in listed.chunks(STORIES_PER_PAGE) {
        let traced = tracer.trace(batch, true);
        let part = Report::from_parts(corpus, settings.clone(), traced, Mode::Scan, None);
        w.add(&part.stories)?;
    }
    w.finish(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_script() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn escape_neutralises_attribute_breakout() {
        let e = escape("\"><img src=x onerror=alert(1)>");
        assert_eq!(e, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        assert!(!e.contains(['<', '>', '"', '\'']));
        assert_eq!(escape("a & b"), "a &amp; b");
    }

    #[test]
    fn json_in_script_cannot_break_out() {
        let mut s = String::new();
        json_str("</script><!-- \u{2028}\u{2029} & \"q\" \\ \n\u{1}", &mut s);
        assert!(!s.contains(['<', '>', '&', '\u{2028}', '\u{2029}', '\n']));
        assert_eq!(
            serde_json::from_str::<String>(&s).unwrap(),
            "</script><!-- \u{2028}\u{2029} & \"q\" \\ \n\u{1}"
        );
    }

    #[test]
    fn utf16_offsets_of_multibyte_text() {
        let t = "é a 😀 b";
        let f = utf16_offsets(t);
        // é is 2 bytes, 1 unit; 😀 is 4 bytes, 2 units.
        assert_eq!(f(0), 0);
        assert_eq!(f(2), 1);
        assert_eq!(f(t.find('b').unwrap()), "é a 😀 ".encode_utf16().count());
        assert_eq!(f(t.len()), t.encode_utf16().count());
        assert_eq!(f(999), t.encode_utf16().count());
    }

    fn hostile_report() -> Report {
        let scan = crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl(
                "h.jsonl",
                super::super::tests::hostile_corpus().into_bytes(),
            ),
            &crate::pipeline::NoProgress,
        )
        .unwrap();
        Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None)
    }

    #[test]
    fn hostile_corpus_renders_as_text() {
        let report = hostile_report();
        assert_eq!(report.stories.len(), 1);
        let html = render(&report);
        // The data element and the page's own script are the only ones.
        assert_eq!(html.matches("<script").count(), 2);
        assert_eq!(html.matches("</script").count(), 2);
        assert!(!html.contains("<img"));
        assert!(!html.contains("onerror=alert(1)>"));
        assert!(!html.contains("http-equiv=\"refresh\""));
        assert!(!html.contains("src=\"http"));
        // The data parses back to the article strings.
        let start = html.find("id=\"wt-data\">").unwrap() + "id=\"wt-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let v: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        let story = &v["stories"][0];
        let ids: Vec<&str> = story["m"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m[1].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"orig<script>"), "{ids:?}");
        assert!(story["t"][0]
            .as_str()
            .unwrap()
            .contains("<script>alert('pwned')</script>"));
        // Outlet names in the server-drawn outlet view are escaped.
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn passages_point_at_the_same_words_in_the_page_data() {
        let report = hostile_report();
        let html = render(&report);
        let start = html.find("id=\"wt-data\">").unwrap() + "id=\"wt-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        let v: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        let s = &v["stories"][0];
        let text = |i: u64| -> Vec<u16> {
            s["t"][i as usize]
                .as_str()
                .unwrap()
                .encode_utf16()
                .collect()
        };
        for (k, c) in s["cp"].as_array().unwrap().iter().enumerate() {
            let (copy, parent) = (text(c[0].as_u64().unwrap()), text(c[1].as_u64().unwrap()));
            let sp = s["sp"][k].as_array().unwrap();
            assert!(!sp.is_empty());
            for p in sp {
                let n = |j: usize| p[j].as_u64().unwrap() as usize;
                assert_eq!(copy[n(0)..n(1)], parent[n(2)..n(3)]);
            }
        }
    }

    #[test]
    fn text_budget_and_max_stories_are_noted() {
        let report = hostile_report();
        let mut v = Vec::new();
        let opts = HtmlOptions {
            max_stories: None,
            text_budget: 10,
        };
        write_with(&report, &opts, &mut v).unwrap();
        let html = String::from_utf8(v).unwrap();
        assert!(html.contains("texts of 1 stories are left out"), "{html}");
        assert!(!html.contains("\"t\":["));
        let mut v = Vec::new();
        let opts = HtmlOptions {
            max_stories: Some(0),
            text_budget: TEXT_BUDGET,
        };
        write_with(&report, &opts, &mut v).unwrap();
        let html = String::from_utf8(v).unwrap();
        assert!(
            html.contains("the 1 others are in the JSON report"),
            "{html}"
        );
    }

    #[test]
    fn only_web_urls_become_links_in_the_script() {
        // The one place links are made checks the scheme first.
        assert!(SCRIPT.contains("/^https?:\\/\\//i.test(u.trim())"));
        assert!(SCRIPT.contains("rel:'noreferrer nofollow'"));
        assert!(!SCRIPT.contains("innerHTML"));
        assert!(!SCRIPT.contains("insertAdjacentHTML"));
        assert!(!SCRIPT.contains("document.write"));
    }

    fn demo_scan() -> crate::pipeline::Scan {
        let p =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/demo/corpus.jsonl");
        crate::pipeline::scan_inputs(
            &crate::Config::default(),
            crate::ingest::Inputs::from_jsonl("demo.jsonl", std::fs::read(p).unwrap()),
            &crate::pipeline::NoProgress,
        )
        .unwrap()
    }

    fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    /// The data element of a page, parsed.
    fn data_of(html: &str) -> serde_json::Value {
        let start = html.find("id=\"wt-data\">").unwrap() + "id=\"wt-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    #[test]
    fn a_directory_traced_page_by_page_equals_the_whole_report_written() {
        let scan = demo_scan();
        let whole = Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None);
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        write_dir(&whole, a.path(), false, &|_| unreachable!()).unwrap();
        let texts = crate::ingest::InputTexts::new(
            &scan.inputs,
            &scan.docs,
            crate::ingest::ReadOptions::from_config(&scan.config),
        );
        let files = crate::ingest::file_names(&scan.inputs);
        let corpus = crate::ingest::Corpus::new(&scan.docs, &files, &texts);
        let settings = super::super::Settings::from_config(&scan.config);
        let written =
            write_dir_from_clusters(&corpus, &scan.clusters, settings, b.path(), false).unwrap();
        assert_eq!(written.len(), 2, "the demo is one page");
        let (fa, fb) = (files_of(a.path()), files_of(b.path()));
        assert_eq!(fa.len(), fb.len());
        for ((na, ba), (nb, bb)) in fa.iter().zip(&fb) {
            assert_eq!(na, nb);
            assert!(ba == bb, "{na} differs");
        }
        // The index's totals and outlet view are the whole report's.
        let index = String::from_utf8(fb[0].1.clone()).unwrap();
        let s = &whole.summary;
        assert!(index.contains(&format!("{} stories, {} copies", s.stories, s.copies)));
        assert!(index.contains(&escape(&whole.outlets[0].outlet)));
    }

    #[test]
    fn pages_and_the_index_keep_to_their_budgets() {
        let scan = demo_scan();
        let report = Report::new(&scan, crate::lineage::trace_scan(&scan), Mode::Scan, None);
        let n = report.stories.len();
        assert!(n >= 6, "{n}");
        // Room for about two stories' texts per page, and three stories'
        // data in the index.
        let text = |s: &StoryReport| s.texts.iter().map(String::len).sum::<usize>();
        let page_budget = text(&report.stories[n - 1]) * 2 + 1;
        let mut probe = Outlets::default();
        let index_budget: usize = report.stories[..3]
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let mut j = String::new();
                story_json(
                    s,
                    k + 1,
                    Texts::At("stories-0001.html".into()),
                    &mut probe,
                    &mut j,
                );
                j.len()
            })
            .sum::<usize>()
            + 1;
        let dir = tempfile::tempdir().unwrap();
        let mut w = DirWriter::new(
            dir.path(),
            false,
            Mode::Scan,
            report.settings.clone(),
            report.summary.articles,
            n,
        )
        .unwrap()
        .with_budgets(page_budget, index_budget);
        w.add(&report.stories).unwrap();
        let files = w.finish(None).unwrap();
        assert!(files.len() > 2, "several pages");
        let mut seen = Vec::new();
        for f in &files[1..] {
            let page = std::fs::read_to_string(f).unwrap();
            let d = data_of(&page);
            let stories = d["stories"].as_array().unwrap();
            let bytes: usize = stories
                .iter()
                .map(|s| {
                    s["t"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| t.as_str().unwrap().len())
                        .sum::<usize>()
                })
                .sum();
            assert!(stories.len() == 1 || bytes <= page_budget, "{f:?}: {bytes}");
            seen.extend(stories.iter().map(|s| s["n"].as_u64().unwrap()));
            assert!(page.contains("href=\"index.html#outlets\""));
        }
        assert_eq!(
            seen,
            (1..=n as u64).collect::<Vec<_>>(),
            "every story once, in order"
        );
        let index = std::fs::read_to_string(&files[0]).unwrap();
        let d = data_of(&index);
        let listed = d["stories"].as_array().unwrap();
        assert_eq!(listed.len(), 3, "the three largest stories");
        assert_eq!(listed[0]["n"], 1);
        assert!(index.contains(&format!(
            "the other {} are on the pages listed below",
            n - 3
        )));
        // Every page is listed, in the table and in the data for the script.
        let pages = d["pages"].as_array().unwrap();
        assert_eq!(pages.len(), files.len() - 1);
        assert_eq!(pages.last().unwrap()[1], n as u64);
        for f in &files[1..] {
            let name = f.file_name().unwrap().to_str().unwrap();
            assert!(
                index.contains(&format!("<a href=\"{name}\">{name}</a>")),
                "{name}"
            );
        }
        // Totals are the whole report's, not the last page's.
        let s = &report.summary;
        assert!(index.contains(&format!("{} stories, {} copies", s.stories, s.copies)));
    }

    #[test]
    fn directory_report_has_an_index_and_pages() {
        let report = hostile_report();
        let dir = tempfile::tempdir().unwrap();
        let files = write_dir(&report, dir.path(), false, &|_| unreachable!()).unwrap();
        assert_eq!(files.len(), 2);
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(index.contains("\"at\":\"stories-0001.html\""));
        assert!(!index.contains("\"t\":["));
        let page = std::fs::read_to_string(dir.path().join("stories-0001.html")).unwrap();
        assert!(page.contains("\"t\":["));
        // Existing files are refused without force.
        assert!(write_dir(&report, dir.path(), false, &|_| Vec::new()).is_err());
        assert!(write_dir(&report, dir.path(), true, &|_| Vec::new()).is_ok());
    }
}
