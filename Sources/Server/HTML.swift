import Core
import Foundation

/// HTML text built with every untrusted string escaped: a submitter's file name, a label as
/// printed, a clerk's note. Only ``HTML/raw(_:)`` takes markup as it is, and only this module's
/// own markup goes there.
struct HTML: Sendable {
    private(set) var text = ""

    init() {}

    /// Escaped text.
    mutating func add(_ s: String) { text += Self.escape(s) }
    /// The module's own markup.
    mutating func raw(_ s: String) { text += s }

    static func escape(_ s: String) -> String { Markup.escape(s, apostrophe: true) }

    /// A path segment of a link (a body's name, a file's), percent-encoded.
    static func segment(_ s: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%;")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// The frame of every page: title, navigation, the script and style served by the server itself.
enum Frame {
    static func page(title: String, user: String?, csrf: String, crumbs: [(String, String)] = [], _ body: String) -> String {
        var h = HTML()
        h.raw("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.raw("<title>"); h.add(title); h.raw("</title><link rel=\"stylesheet\" href=\"/static/season.css\">")
        h.raw("<meta name=\"csrf-token\" content=\""); h.add(csrf); h.raw("\"><script src=\"/static/season.js\" defer></script></head><body>")
        h.raw("<header><nav><a href=\"/\">政府信息公开年报汇总</a>")
        for (label, href) in crumbs { h.raw(" › <a href=\""); h.add(href); h.raw("\">"); h.add(label); h.raw("</a>") }
        h.raw("</nav>")
        if let user {
            h.raw("<form method=\"post\" action=\"/logout\" class=\"user\"><input type=\"hidden\" name=\"csrf\" value=\""); h.add(csrf)
            h.raw("\">"); h.add(user); h.raw(" <button type=\"submit\">退出</button></form>")
        }
        h.raw("</header><main>")
        h.raw(body)
        h.raw("</main></body></html>\n")
        return h.text
    }

    static let style = """
    body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#222;background:#f6f7f9;font-size:14px}
    header{display:flex;justify-content:space-between;align-items:center;background:#1f4e79;color:#fff;padding:6px 16px}
    header a{color:#fff;text-decoration:none}header .user{margin:0}
    main{max-width:1320px;margin:0 auto;padding:8px 16px}
    h1{font-size:20px;margin:10px 0}h2{font-size:16px;margin:18px 0 6px;border-left:4px solid #1f4e79;padding-left:6px}
    table{border-collapse:collapse;background:#fff;margin:4px 0 12px}th,td{border:1px solid #ccd;padding:3px 6px;vertical-align:top}
    th{background:#e8edf3;font-weight:600}th.sort{cursor:pointer}td.num{text-align:right;font-variant-numeric:tabular-nums}
    .counts{display:flex;gap:12px;flex-wrap:wrap;margin:6px 0}.counts div{background:#fff;border:1px solid #ccd;padding:6px 12px}
    .counts b{font-size:18px}.draft{background:#fff4e5;border:1px solid #f0a040;padding:6px 10px;margin:6px 0}
    .st-missing{color:#b00020;font-weight:600}.st-errors{color:#b00020}.st-warnings{color:#a05a00}.st-reviewed{color:#1b7d33}.st-submitted{color:#1b5e20}
    tr.missing td{background:#fdecee}.sev-error{color:#b00020;font-weight:600}.sev-warning{color:#a05a00}.sev-note{color:#555}
    .filters{margin:6px 0}.filters input,.filters select{margin-right:8px}
    .drop{border:2px dashed #1f4e79;background:#fff;padding:18px;text-align:center;margin:8px 0}.drop.over{background:#e8f0fb}
    .msg{padding:6px 10px;margin:6px 0;background:#e8f5e9;border:1px solid #9c9}.msg.bad{background:#fdecee;border-color:#d99}
    pre.feedback{white-space:pre-wrap;background:#fff;border:1px solid #ccd;padding:8px;max-height:420px;overflow:auto}
    .review form{display:inline}.review input[type=text]{width:11em}.mark{color:#1b7d33}
    .scroll{overflow-x:auto}td.blank{color:#999}
    """

    /// Sorting and filtering of the year's list, the upload of a resubmission.
    static let script = """
    "use strict";
    function csrf(){var m=document.querySelector('meta[name=csrf-token]');return m?m.content:''}
    document.addEventListener('DOMContentLoaded',function(){
      document.querySelectorAll('table.sortable th.sort').forEach(function(th,i){
        th.addEventListener('click',function(){
          var table=th.closest('table'),body=table.tBodies[0],rows=Array.from(body.rows),col=th.cellIndex,
              asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';
          rows.sort(function(a,b){var x=a.cells[col].dataset.key||a.cells[col].textContent,y=b.cells[col].dataset.key||b.cells[col].textContent;
            var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh-CN');return asc?c:-c});
          rows.forEach(function(r){body.appendChild(r)});
        });
      });
      var text=document.getElementById('filter-text'),state=document.getElementById('filter-state');
      function filter(){var t=text?text.value.trim():'',s=state?state.value:'';
        document.querySelectorAll('table#bodies tbody tr').forEach(function(r){
          var ok=(!t||r.dataset.name.indexOf(t)>=0)&&(!s||r.dataset.state===s);r.style.display=ok?'':'none'})}
      if(text)text.addEventListener('input',filter);if(state)state.addEventListener('change',filter);
      var drop=document.getElementById('drop'),input=document.getElementById('upload-file'),out=document.getElementById('upload-result');
      function send(file){
        if(!drop)return;out.className='msg';out.textContent='正在上传“'+file.name+'”并重新处理……';
        fetch(drop.dataset.action+'?name='+encodeURIComponent(file.name),{method:'POST',body:file,credentials:'same-origin',
          headers:{'X-CSRF-Token':csrf(),'Content-Type':'application/octet-stream'}})
        .then(function(r){return r.json().then(function(j){return [r.ok,j]})})
        .then(function(p){out.className=p[0]?'msg':'msg bad';out.textContent=p[1].message;if(p[0])setTimeout(function(){location.reload()},800)})
        .catch(function(e){out.className='msg bad';out.textContent='上传失败：'+e});
      }
      if(drop){
        drop.addEventListener('dragover',function(e){e.preventDefault();drop.classList.add('over')});
        drop.addEventListener('dragleave',function(){drop.classList.remove('over')});
        drop.addEventListener('drop',function(e){e.preventDefault();drop.classList.remove('over');
          Array.from(e.dataTransfer.files).forEach(send)});
        input.addEventListener('change',function(){Array.from(input.files).forEach(send)});
      }
    });
    """
}
