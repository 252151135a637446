import Core
import Foundation
import Load
import Pipeline
import Transform

/// The pages, drawn from the pipeline's values. Every string a submitter or a clerk wrote (a
/// name, a file name, a label as printed, a message quoting a cell, a note) goes through
/// ``HTML/add(_:)``.
enum Pages {
    struct Viewer {
        var user: String?
        var csrf: String
    }

    // MARK: /

    static func years(_ years: [Int], viewer: Viewer) -> String {
        var h = HTML()
        h.raw("<h1>各年度</h1>")
        if years.isEmpty { h.raw("<p>工作区中还没有任何年度：请把各单位报送的文件放入 inbox/&lt;年度&gt;/&lt;单位&gt;/ 后运行 disclosure run。</p>") }
        h.raw("<ul>")
        for y in years { h.raw("<li><a href=\"/\(y)\">\(y) 年</a></li>") }
        h.raw("</ul>")
        return Frame.page(title: "政府信息公开年报汇总", user: viewer.user, csrf: viewer.csrf, h.text)
    }

    // MARK: /<year>

    static func year(_ year: Int, _ v: Pipeline.YearView, message: String?, viewer: Viewer) -> String {
        var h = HTML()
        let rows = v.status.rows
        let registered = rows.filter { $0.state != .missing }.count
        h.raw("<h1>\(year) 年政府信息公开工作年度报告汇总</h1>")
        if let message { h.raw("<div class=\"msg\">"); h.add(message); h.raw("</div>") }
        h.raw("<div class=\"counts\"><div>已报送 <b>\(registered)</b> / \(rows.count) 个单位</div>")
        h.raw("<div>未报送 <b class=\"st-missing\">\(rows.count - registered)</b></div>")
        h.raw("<div>待处理错误 <b class=\"st-errors\">\(v.status.errors - v.status.reviewedErrors)</b>（共 \(v.status.errors)，已审核 \(v.status.reviewedErrors)）</div>")
        let cityWarnings = v.status.city.filter { $0.severity == .warning && v.status.reviews[$0] == nil }.count
        h.raw("<div>警告 <b class=\"st-warnings\">\(rows.reduce(cityWarnings) { $0 + $1.openWarnings })</b> 待处理</div></div>")
        if v.status.draft {
            h.raw("<div class=\"draft\">报告目前为<b>草稿</b>：尚有 \(v.status.errors) 处错误（其中 \(v.status.reviewedErrors) 处已审核）。更正后重新报送即可转为正式稿。</div>")
        } else if !v.outputs.isEmpty {
            h.raw("<div class=\"msg\">报告为正式稿：没有错误。</div>")
        }

        h.raw("<h2>报送单位</h2><div class=\"filters\">查找 <input id=\"filter-text\" type=\"search\" placeholder=\"单位名称\"> 状态 <select id=\"filter-state\"><option value=\"\">全部</option>")
        for s in Pipeline.StatusReport.Season.allCases { h.raw("<option value=\"\(s.rawValue)\">\(s.label)</option>") }
        h.raw("</select></div>")
        h.raw("<table id=\"bodies\" class=\"sortable\"><thead><tr><th class=\"sort\">单位</th><th class=\"sort\">状态</th><th class=\"sort\">文件</th><th class=\"sort\">收到时间</th><th class=\"sort\">版本</th><th class=\"sort\">错误</th><th class=\"sort\">警告</th><th class=\"sort\">已审核</th></tr></thead><tbody>")
        for r in rows {
            let s = r.season
            h.raw("<tr class=\"\(s.rawValue)\" data-state=\"\(s.rawValue)\" data-name=\""); h.add(r.name); h.raw("\">")
            h.raw("<td><a href=\"/\(year)/\(HTML.segment(r.name))\">"); h.add(r.name); h.raw("</a></td>")
            h.raw("<td class=\"st-\(s.rawValue)\">\(s.label)</td><td>")
            let current = r.files.filter { $0.status != .superseded }
            for (i, f) in current.enumerated() {
                if i > 0 { h.raw("<br>") }
                h.add(f.path.split(separator: "/").last.map(String.init) ?? f.path)
                if f.status == .quarantined { h.raw("（未能读取）") }
            }
            h.raw("</td><td data-key=\""); h.add(r.received ?? ""); h.raw("\">"); h.add(localTime(r.received)); h.raw("</td>")
            h.raw("<td class=\"num\">\(r.versions)</td><td class=\"num\">\(r.errors)</td><td class=\"num\">\(r.warnings)</td><td class=\"num\">\(r.reviewed)</td></tr>")
        }
        h.raw("</tbody></table>")
        if !v.status.city.isEmpty {
            h.raw("<h2>全市汇总的审核意见</h2>")
            h.raw(findingList(v.status.city, reviews: v.status.reviews, year: year, review: "/\(year)/review", viewer: viewer))
        }

        h.raw("<h2>全市汇总表</h2><p>每个数字都可点开，查看来自哪些单位、文件和行。空白表示没有单位填报（不是 0）。</p>")
        h.raw(cityTables(year, v))

        h.raw("<h2>下载</h2><ul>")
        for name in v.outputs {
            h.raw("<li><a href=\"/\(year)/out/\(HTML.segment(name))\">"); h.add(name); h.raw("</a></li>")
        }
        h.raw("<li><a href=\"/\(year)/issues.csv\">待处理问题清单（issues.csv，可用 Excel 打开）</a></li>")
        h.raw("<li><a href=\"/api/\(year)/status\">报送状态（JSON）</a></li></ul>")
        return Frame.page(title: "\(year) 年汇总", user: viewer.user, csrf: viewer.csrf, crumbs: [("\(year) 年", "/\(year)")], h.text)
    }

    /// The form's tables with the city's figures, each a link to its sources.
    static func cityTables(_ year: Int, _ v: Pipeline.YearView) -> String {
        var h = HTML()
        func cell(_ code: String) {
            if let value = v.city.reportedValue(code) {
                h.raw("<td class=\"num\"><a href=\"/\(year)/figure/\(HTML.segment(code))\">"); h.add(Amount.text(value)); h.raw("</a></td>")
            } else {
                h.raw("<td class=\"num blank\" title=\"无单位填报\"></td>")
            }
        }
        for table in v.index.form.tables {
            h.raw("<h3>"); h.add(table.title ?? table.id); h.raw("</h3><div class=\"scroll\"><table class=\"city\" data-table=\""); h.add(table.id); h.raw("\">")
            // A table whose rows carry their own columns (table 2) is drawn over their union.
            var columns = table.columns ?? []
            if columns.isEmpty {
                for row in table.rows { for c in row.columns ?? [] where !columns.contains(where: { $0.code == c.code }) { columns.append(c) } }
            }
            if columns.isEmpty {
                h.raw("<thead><tr><th>指标</th><th>单位</th><th>全市</th></tr></thead><tbody>")
                for row in table.rows {
                    h.raw("<tr><td>"); h.add((row.row.map { $0 + " " } ?? "") + row.label); h.raw("</td>")
                    if row.isHeading { h.raw("<td></td><td></td></tr>"); continue }
                    h.raw("<td>"); h.add(row.unit ?? ""); h.raw("</td>")
                    cell(row.code)
                    h.raw("</tr>")
                }
            } else {
                // Grouped headers over their columns, as the official table prints them.
                var groups: [(String?, Int)] = []
                for c in columns {
                    if let last = groups.last, last.0 == c.group, c.group != nil { groups[groups.count - 1].1 += 1 } else { groups.append((c.group, 1)) }
                }
                let grouped = groups.contains { $0.0 != nil }
                h.raw("<thead><tr><th\(grouped ? " rowspan=\"2\"" : "")>项目</th>")
                var first = 0
                for (group, span) in groups {
                    if let group { h.raw("<th colspan=\"\(span)\">"); h.add(group); h.raw("</th>") } else {
                        h.raw("<th\(grouped ? " rowspan=\"2\"" : "")>"); h.add(columns[first].label); h.raw("</th>")
                    }
                    first += span
                }
                h.raw("</tr>")
                if grouped {
                    h.raw("<tr>")
                    for c in columns where c.group != nil { h.raw("<th>"); h.add(c.label); h.raw("</th>") }
                    h.raw("</tr>")
                }
                h.raw("</thead><tbody>")
                for row in table.rows {
                    h.raw("<tr><td>"); h.add((row.row.map { $0 + " " } ?? "") + row.label); h.raw("</td>")
                    let own = row.columns ?? columns
                    if row.isHeading {
                        h.raw("<td colspan=\"\(columns.count)\"></td></tr>")
                        continue
                    }
                    for c in columns {
                        if own.contains(where: { $0.code == c.code }) { cell(row.code + "." + c.code) } else { h.raw("<td></td>") }
                    }
                    h.raw("</tr>")
                }
            }
            h.raw("</tbody></table></div>")
        }
        return h.text
    }

    // MARK: /<year>/figure/<code>

    static func figure(_ year: Int, _ x: Pipeline.Explanation, viewer: Viewer) -> String {
        var h = HTML()
        h.raw("<h1>"); h.add(x.indicator.label); h.raw("</h1><p>代码 "); h.add(x.indicator.code)
        h.raw("；全市合计 <b>"); h.add(Amount.text(x.total)); h.raw("</b> "); h.add(x.indicator.unit ?? ""); h.raw("</p>")
        h.raw("<table class=\"sortable\"><thead><tr><th class=\"sort\">单位</th><th class=\"sort\">数值</th><th>文件</th><th>位置</th><th>原文</th></tr></thead><tbody>")
        for f in x.contributions {
            h.raw("<tr><td><a href=\"/\(year)/\(HTML.segment(f.submitter))\">"); h.add(f.submitter); h.raw("</a></td><td class=\"num\">")
            h.add(f.value.map(Amount.text) ?? "未填"); h.raw("</td><td class=\"source\">"); h.add(f.file); h.raw("</td><td>")
            var place: [String] = []
            if let line = f.line { place.append("第 \(line) 行") }
            if let column = f.column { place.append("第 \(column) 列") }
            if !f.via.isEmpty { place.append(f.via) }
            h.add(place.joined(separator: "，")); h.raw("</td><td>")
            h.add(f.raw.isEmpty ? "（原文为空）" : f.raw)
            if f.derived { h.add("（按\(f.derivation)）") }
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
        return Frame.page(title: x.indicator.label, user: viewer.user, csrf: viewer.csrf,
                          crumbs: [("\(year) 年", "/\(year)"), (x.indicator.label, "/\(year)/figure/\(HTML.segment(x.indicator.code))")], h.text)
    }

    // MARK: /<year>/<submitter>

    static func body(_ year: Int, _ b: Pipeline.BodyView, feedback: String?, message: String?, viewer: Viewer) -> String {
        var h = HTML()
        let path = "/\(year)/\(HTML.segment(b.name))"
        let s = b.row.season
        h.raw("<h1>"); h.add(b.name); h.raw(" <span class=\"st-\(s.rawValue)\">\(s.label)</span></h1>")
        if let message { h.raw("<div class=\"msg\">"); h.add(message); h.raw("</div>") }
        h.raw("<div class=\"counts\"><div>错误 <b>\(b.row.errors)</b></div><div>警告 <b>\(b.row.warnings)</b></div><div>提示 \(b.row.notes)</div><div>已审核 \(b.row.reviewed)</div><div>版本 \(b.row.versions)</div></div>")

        h.raw("<h2>上传（重新）报送的文件</h2><div id=\"drop\" class=\"drop\" data-action=\"\(path)/upload\">把文件拖到这里，或 <input id=\"upload-file\" type=\"file\" multiple>")
        h.raw("<br><small>文件原样保存到该单位的收件箱（不会覆盖已有文件），随即重新处理该单位并更新全市汇总。</small></div><div id=\"upload-result\" role=\"status\"></div>")

        h.raw("<h2>审核意见</h2>")
        if b.findings.isEmpty { h.raw("<p>没有审核意见。</p>") } else {
            h.raw(findingList(b.findings.map(\.0), reviews: Reviews(b.findings.compactMap(\.1)), year: year, review: path + "/review", viewer: viewer))
        }

        h.raw("<h2>数字（与上年比较）</h2>")
        if b.figures.isEmpty { h.raw("<p>尚无数字。</p>") } else {
            h.raw("<div class=\"scroll\"><table><thead><tr><th>指标</th><th>本年</th><th>上年</th><th>来源</th></tr></thead><tbody>")
            for f in b.figures {
                h.raw("<tr><td>"); h.add(f.indicator.label); h.raw("</td><td class=\"num\">")
                h.add(f.now.map { $0.value.map(Amount.text) ?? "未填" } ?? ""); h.raw("</td><td class=\"num\">")
                h.add(f.before.map(Amount.text) ?? ""); h.raw("</td><td>")
                if let now = f.now { h.add(now.file + (now.line.map { ":\($0)" } ?? "")) }
                h.raw("</td></tr>")
            }
            h.raw("</tbody></table></div>")
        }

        h.raw("<h2>文件和版本</h2><table><thead><tr><th>文件</th><th>状态</th><th>收到时间</th></tr></thead><tbody>")
        for f in b.row.files {
            h.raw("<tr><td>"); h.add(f.path); h.raw("</td><td>")
            h.add(f.status == .current ? "当前" : f.status == .superseded ? "已被取代" : "未能读取"); h.raw("</td><td>")
            h.add(Timestamp.chinaMinutes(f.received)); h.raw("</td></tr>")
        }
        h.raw("</tbody></table><table><thead><tr><th>版本</th><th>收到时间</th><th>内容摘要</th><th>文件</th></tr></thead><tbody>")
        for (i, v) in b.versions.enumerated() {
            h.raw("<tr><td>\(b.versions.count - i)\(v.current ? "（当前）" : "")</td><td>"); h.add(localTime(v.received)); h.raw("</td><td><code>")
            h.add(String(v.contentHash.prefix(12))); h.raw("</code></td><td>")
            h.add(v.files.map { $0.path.split(separator: "/").last.map(String.init) ?? $0.path }.joined(separator: "、")); h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")

        h.raw("<h2>审核意见书</h2>")
        if let feedback {
            h.raw("<p><a href=\"\(path)/feedback\">下载 "); h.add(b.name); h.raw(".md</a></p><pre class=\"feedback\">"); h.add(feedback); h.raw("</pre>")
        } else {
            h.raw("<p>该单位没有需要反馈的意见。</p>")
        }
        return Frame.page(title: b.name, user: viewer.user, csrf: viewer.csrf, crumbs: [("\(year) 年", "/\(year)"), (b.name, path)], h.text)
    }

    /// Findings with their marks; with `review`, each error and warning gets the form to mark it.
    static func findingList(_ findings: [Finding], reviews: Reviews, year: Int, review: String?, viewer: Viewer) -> String {
        var h = HTML()
        h.raw("<table class=\"findings\"><thead><tr><th>级别</th><th>规则</th><th>位置</th><th>说明</th><th>审核</th></tr></thead><tbody>")
        for f in findings {
            h.raw("<tr data-fingerprint=\"\(f.fingerprint)\"><td class=\"sev-\(f.severity.rawValue)\">\(f.severity.label)</td><td>")
            h.add(f.rule.rawValue + " " + f.rule.title); h.raw("</td><td>"); h.add(f.location); h.raw("</td><td>"); h.add(f.message)
            if !f.expected.isEmpty || !f.actual.isEmpty {
                h.raw("<br><small>"); h.add("应为：\(f.expected.isEmpty ? "—" : f.expected)；实为：\(f.actual.isEmpty ? "—" : f.actual)"); h.raw("</small>")
            }
            h.raw("</td><td class=\"review\">")
            let mark = reviews[f]
            if let mark { h.raw("<span class=\"mark\">"); h.add(mark.text); h.raw("</span><br><small>"); h.add(localTime(mark.at)); h.raw("</small>") }
            if let review, f.severity != .note {
                h.raw("<form method=\"post\" action=\"\(review)\"><input type=\"hidden\" name=\"csrf\" value=\""); h.add(viewer.csrf)
                h.raw("\"><input type=\"hidden\" name=\"fingerprint\" value=\"\(f.fingerprint)\">")
                if mark == nil {
                    if viewer.user == nil { h.raw("<input type=\"text\" name=\"by\" placeholder=\"审核人\" required maxlength=\"40\"> ") }
                    h.raw("<input type=\"text\" name=\"note\" placeholder=\"说明（可不填）\" maxlength=\"500\"> ")
                    h.raw("<button name=\"state\" value=\"verified\">已核实</button> <button name=\"state\" value=\"ignored\">忽略</button>")
                } else {
                    h.raw("<button name=\"state\" value=\"open\">撤销审核</button>")
                }
                h.raw("</form>")
            }
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
        return h.text
    }

    // MARK: /login

    static func login(token: String, failed: Bool) -> String {
        var h = HTML()
        h.raw("<h1>登录</h1>")
        if failed { h.raw("<div class=\"msg bad\">密码不正确，请重新输入。</div>") }
        h.raw("<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" value=\""); h.add(token)
        h.raw("\"><p><label>姓名 <input type=\"text\" name=\"name\" required maxlength=\"40\" autocomplete=\"name\"></label></p>")
        h.raw("<p><label>密码 <input type=\"password\" name=\"password\" required autocomplete=\"current-password\"></label></p>")
        h.raw("<p><button type=\"submit\">登录</button></p></form>")
        return Frame.page(title: "登录", user: nil, csrf: token, h.text)
    }

    static func error(_ status: Int, _ message: String, viewer: Viewer) -> String {
        var h = HTML()
        h.raw("<h1>\(status == 404 ? "找不到" : "无法完成")</h1><div class=\"msg bad\">"); h.add(message); h.raw("</div><p><a href=\"/\">返回首页</a></p>")
        return Frame.page(title: "出错了", user: viewer.user, csrf: viewer.csrf, h.text)
    }

    /// "2027-02-03 16:15" in China's time (UTC+8), from the UTC time the state keeps.
    static func localTime(_ iso: String?) -> String {
        guard let iso else { return "" }
        return Timestamp.seconds(iso: iso).map(Timestamp.chinaMinutes) ?? iso
    }
}
