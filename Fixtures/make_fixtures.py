#!/usr/bin/env python3
"""Writes Fixtures/2016/: the 2016 inbox of 13 Yangquan submitters, each file as the
submitter's own system writes it (encodings, title rows, numbering, full-width digits,
merged cells, "—" for nothing, platform XML in GB2312/GBK, CMS item lists with duplicates
and out-of-year items). Their consolidation gives exactly the published 2016 report's
figures. Deterministic: rerunning rewrites identical bytes."""
import os, random, datetime, json

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "2016")
CATS = ["工作动态类", "行政职权类", "政策法规类", "决策类", "机构职能类", "其他类"]

# Per table/XML submitter: categories, applications, answers, consultations, reviews, suits, spending (万元 text)
T = {
 "城区":   dict(cats=[6120, 402, 388, 910, 401, 1590], online=3, letter=0, already=1, granted=2, other_route=0, consult=120, rev=(0,0,0), lit=(1,0,0), spend="2.35"),
 "矿区":   dict(cats=[3980, 255, 240, 600, 260, 1050], online=0, letter=0, already=0, granted=0, other_route=0, consult=45, rev=(0,0,0), lit=(0,0,0), spend="18600元"),
 "郊区":   dict(cats=[5210, 330, 310, 770, 340, 1360], online=1, letter=1, already=0, granted=1, other_route=1, consult=88, rev=(0,0,0), lit=(1,0,0), spend="1.20"),
 "平定县": dict(cats=[4630, 300, 290, 680, 300, 1200], online=0, letter=1, already=1, granted=0, other_route=0, consult=60, rev=(0,0,0), lit=(0,0,0), spend="1.5万元"),
 "盂县":   dict(cats=[2633, 180, 170, 400, 190, 637], online=4, letter=0, already=1, granted=3, other_route=0, consult=150, rev=(1,0,0), lit=(0,0,0), spend="2.10"),
 "开发区": dict(cats=[1850, 120, 110, 270, 125, 480], online=0, letter=0, already=0, granted=0, other_route=0, consult=30, rev=(0,0,0), lit=(0,0,0), spend="0.80"),
 "市政府办公厅": dict(cats=[6300, 402, 400, 927, 410, 1669], online=2, letter=0, already=0, granted=1, other_route=1, consult=98, rev=(0,0,0), lit=(0,0,0), spend="3.00"),
 "市公安局": dict(cats=None, online=2, letter=0, already=1, granted=1, other_route=0, consult=40, rev=(0,0,1), lit=(1,0,1), spend="1.70"),
}
REMAIN = [34723, 2219, 2158, 5107, 2273, 9006]
T["市公安局"]["cats"] = [REMAIN[i] - sum(v["cats"][i] for k, v in T.items() if k != "市公安局") for i in range(6)]
STATS = dict(cats=[12, 2, 3, 2, 1, 5])  # 市统计局: declared, and checked by its own item list

CMS = {"工作动态类": ["工作动态", "政务动态", "图片新闻", "通知公告"], "行政职权类": ["行政许可", "办事指南", "权责清单"],
       "政策法规类": ["规范性文件", "政策解读"], "决策类": ["计划规划", "重要会议"], "机构职能类": ["机构职能", "人事信息"],
       "其他类": ["财政预决算", "统计信息", "其他"]}

def rows_for(f):
    """The national table with Shanxi's rows, as (number, label, unit, value) with values filled from f."""
    total = sum(f["cats"]); rec = f["online"] + f["letter"]; ans = f["already"] + f["granted"] + f["other_route"]
    rv, lt = f["rev"], f["lit"]
    web = total; weibo = total // 5; wechat = total // 6
    return [
     ("一、", "主动公开情况", "", ""),
     ("（一）", "主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", total),
     ("", "其中：主动公开规范性文件数", "条", max(1, total // 200)),
     ("", "制发规范性文件总数", "件", max(1, total // 150)),
     ("（二）", "通过不同渠道和方式公开政府信息的情况", "", ""),
     ("1．", "政府公报公开政府信息数", "条", "—"),
     ("2．", "政府网站公开政府信息数", "条", web),
     ("3．", "政务微博公开政府信息数", "条", weibo),
     ("4．", "政务微信公开政府信息数", "条", wechat),
     ("5．", "其他方式公开政府信息数", "条", 0),
     ("二、", "回应解读情况", "", ""),
     ("（一）", "回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次", 6),
     ("（二）", "通过不同渠道和方式回应解读的情况", "", ""),
     ("1．", "参加或举办新闻发布会总次数", "次", 3),
     ("", "其中：主要负责同志参加新闻发布会次数", "次", 1),
     ("2．", "政府网站在线访谈次数", "次", 2),
     ("", "其中：主要负责同志参加政府网站在线访谈次数", "次", 1),
     ("3．", "政策解读稿件发布数", "篇", 5),
     ("4．", "微博微信回应事件数", "次", 4),
     ("5．", "其他方式回应事件数", "次", 0),
     ("三、", "依申请公开情况", "", ""),
     ("（一）", "收到申请数", "件", rec),
     ("1．", "当面申请数", "件", 0), ("2．", "传真申请数", "件", 0), ("3．", "网络申请数", "件", f["online"]), ("4．", "信函申请数", "件", f["letter"]),
     ("（二）", "申请办结数", "件", ans), ("1．", "按时办结数", "件", ans), ("2．", "延期办结数", "件", 0),
     ("（三）", "申请答复数", "件", ans),
     ("1．", "属于已主动公开范围数", "件", f["already"]), ("2．", "同意公开答复数", "件", f["granted"]), ("3．", "同意部分公开答复数", "件", 0),
     ("4．", "不同意公开答复数", "件", 0),
     ("", "其中：涉及国家秘密", "件", 0), ("", "涉及商业秘密", "件", 0), ("", "涉及个人隐私", "件", 0),
     ("", "危及国家安全、公共安全、经济安全和社会稳定", "件", 0), ("", "不是《条例》所指政府信息", "件", 0), ("", "法律法规规定的其他情形", "件", 0),
     ("5．", "不属于本行政机关公开", "件", 0), ("6．", "申请信息不存在", "件", 0), ("7．", "告知作出更改补充", "件", 0),
     ("8．", "告知通过其他途径办理", "件", f["other_route"]),
     ("四、", "行政复议数量", "件", sum(rv)), ("（一）", "维持具体行政行为数", "件", rv[0]), ("（二）", "被依法纠错数", "件", rv[1]), ("（三）", "其他情形数", "件", rv[2]),
     ("五、", "行政诉讼数量", "件", sum(lt)), ("（一）", "维持具体行政行为或者驳回原告诉讼请求数", "件", lt[0]), ("（二）", "被依法纠错数", "件", lt[1]), ("（三）", "其他情形数", "件", lt[2]),
     ("六、", "举报投诉数量", "件", 0),
     ("七、", "依申请公开信息收取的费用", "万元", "—"),
     ("八、", "机构建设和保障经费情况", "", ""),
     ("（一）", "政府信息公开工作专门机构数", "个", 1), ("（二）", "设置政府信息公开查阅点数", "个", 2),
     ("（三）", "从事政府信息公开工作人员数", "人", 5), ("1．", "专职人员数（不包括政府公报及政府网站工作人员数）", "人", 2), ("2．", "兼职人员数", "人", 3),
     ("（四）", "政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元", "—"),
     ("九、", "政府信息公开会议和培训情况", "", ""),
     ("（一）", "召开政府信息公开工作会议或专题会议数", "次", 2), ("（二）", "举办各类培训班数", "次", 1), ("（三）", "接受培训人员数", "人次", 30),
     ("十、", "主动公开政府信息分类情况", "", ""),
    ] + [(f"{k+1}．", c, "条", f["cats"][k]) for k, c in enumerate(CATS)] + [
     ("十一、", "接受公众咨询数", "人次", f["consult"]),
     ("十二、", "政府信息公开工作支出", "万元", f["spend"]),
    ]

def with_blanks(rows, blank=(), values=None):
    """The rows with the labels in `blank` left empty (not reported) and `values` written over."""
    values = values or {}
    return [(no, label, unit, "" if label in blank else values.get(label, value)) for no, label, unit, value in rows]

PROACTIVE_BLOCK = ["主动公开政府信息数（不同渠道和方式公开相同信息计1条）"] + CATS

def q(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s

def write(path, data, root=None):
    full = os.path.join(root or OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as fh:
        fh.write(data)
    os.utime(full, (1484000000 + len(path), 1484000000 + len(path)))  # fixed times: deterministic versions

def fullwidth(n):
    return "".join(chr(ord(c) + 0xFEE0) for c in str(n))

def table_csv(name, f, declared, sep=",", quirks=True, merged=False, rows=None):
    lines = [[f"{declared}2016年政府信息公开情况统计表"], [], [f"填报单位：{declared}", "", "填报日期：2017年1月10日"]]
    if merged:
        lines.append(["类别", "指标名称", "单位", "统计数"])
    else:
        lines.append(["序号", "统计指标", "单位", "统计数", "备注"])
    section = ""
    for k, (no, label, unit, value) in enumerate(rows or rows_for(f)):
        v = value
        if quirks and isinstance(v, int) and v >= 1000 and k % 3 == 0:
            v = f"{v:,}"                        # "6,120"
        elif quirks and isinstance(v, int) and k % 7 == 2:
            v = fullwidth(v)                     # full-width digits
        if merged:
            if no.endswith("、"):
                section = no + label
                lines.append([section, "", unit, v])
            else:
                lines.append(["", no + label, unit, v])
        else:
            lines.append([no, label.replace("（不同渠道", "\n（不同渠道") if quirks else label, unit, v, ""])
    lines += [[], ["注：本表数据统计期限为2016年1月1日至12月31日。"], ["填表人：王　芳", "", "联系电话：0353-1234567"]]
    return "\r\n".join(sep.join(q(c) for c in row) for row in lines) + "\r\n"

def platform_xml(code, declared, f, encoding, sections, seq, rows=None, omit=()):
    out = [f'<?xml version="1.0" encoding="{encoding}"?>', '<GovInfoDisclosureReport year="2016" form="SX-2016">',
           f'  <Submitter code="{code}" name="{declared}"/>', '  <Prepared date="2017-01-12" by="县政府办公室"/>', '  <Indicators>']
    seqs = {"主动公开政府信息数（不同渠道和方式公开相同信息计1条）": "1", "收到申请数": "7", "网络申请数": "7.3", "信函申请数": "7.4",
            "申请答复数": "9", "属于已主动公开范围数": "9.1", "同意公开答复数": "9.2", "告知通过其他途径办理": "9.8",
            "行政复议数量": "10", "维持具体行政行为数": "10.1", "被依法纠错数": None, "其他情形数": None, "行政诉讼数量": "11",
            "接受公众咨询数": "13", "政府信息公开工作支出": "14"}
    section_seq = None
    for no, label, unit, value in rows or rows_for(f):
        if unit == "":
            if sections:
                out.append(f'    <Section name="{no}{label}"/>')
            continue
        if no in ("四、", "五、"):
            section_seq = "10" if no == "四、" else "11"
            if sections:
                out.append(f'    <Section name="{no}{label}"/>')
        if label in omit:
            continue
        name = label if not sections else no + label
        s = seqs.get(label)
        if label in ("被依法纠错数", "其他情形数"):
            s = section_seq + (".2" if label == "被依法纠错数" else ".3")
        if label in CATS:
            s = "1." + str(CATS.index(label) + 1)
        attr = f' seq="{s}"' if (seq and s) else ""
        text = "" if value == "—" else str(value).replace("万元", "")
        out.append(f'    <Indicator{attr} name="{name}" unit="{unit}">{text}</Indicator>')
    out += ['  </Indicators>', '</GovInfoDisclosureReport>', '']
    return "\n".join(out)

rng = random.Random(2016)
WORDS = "关于做好全市政府信息公开工作的通知印发实施方案意见年度报告统计数据管理办法建设项目审批服务中心环境保护就业创业补贴培训棚户区改造财政预算决算教育督导评估"

def title(k):
    t = "".join(rng.choice(WORDS) for _ in range(rng.randint(10, 24)))
    if k % 9 == 0: t = t[:5] + "，" + t[5:] + ',（第' + str(k) + '号）'
    if k % 13 == 0: t = "“" + t[:4] + "”" + t[4:] + ' "解读"'
    if k % 17 == 0: t = t[:6] + "\n" + t[6:]
    return t

def dates(k, fmt):
    d = datetime.date(2016, 1 + k % 12, 1 + k % 28)
    f = fmt[k % len(fmt)]
    if f == "iso": return d.isoformat()
    if f == "slash": return f"{d.year}/{d.month}/{d.day}"
    if f == "cn": return f"{d.year}年{d.month}月{d.day}日"
    if f == "dot": return d.strftime("%Y.%m.%d")
    if f == "compact": return d.strftime("%Y%m%d")
    if f == "serial": return str((d - datetime.date(1899, 12, 30)).days)
    if f == "rfc": return d.strftime("%a, %d %b %Y 09:30:00 +0800")

def items(counts, prefix, path_every=0):
    out = []
    k = 0
    for cat, n in zip(CATS, counts):
        for j in range(n):
            label = CMS[cat][j % len(CMS[cat])]
            if path_every and k % path_every == 0: label = "政务公开>" + label
            out.append((f"{prefix}-2016-{k:04d}", title(k), label, k))
            k += 1
    rng.shuffle(out)
    return out

def main():
    # A: GB18030 table with numbering, thousands separators, full-width digits, a line break in a label.
    write("城区/城区2016年政府信息公开情况统计表.csv", table_csv("城区", T["城区"], "阳泉市城区人民政府").encode("gb18030"))
    # A: UTF-8 with BOM, merged-cell layout, spending in 元.
    write("矿区/统计表.csv", b"\xef\xbb\xbf" + table_csv("矿区", T["矿区"], "矿区人民政府", quirks=False, merged=True).encode("utf-8"))
    # C: platform XML declared GB2312, with seq.
    write("郊区/xxgk2016.xml", platform_xml("140311", "郊区人民政府", T["郊区"], "GB2312", False, True).encode("gb2312"))
    # A: Excel "Unicode 文本": UTF-16LE with BOM, tab-separated.
    write("平定县/平定县统计表.txt", b"\xff\xfe" + table_csv("平定县", T["平定县"], "平定县人民政府", sep="\t", quirks=False).encode("utf-16-le"))
    # C: platform XML in UTF-8 with <Section> headings, numbered names, no seq on most rows.
    write("盂县/盂县2016年报送.xml", platform_xml("140322", "盂县人民政府", T["盂县"], "UTF-8", True, False).encode("utf-8"))
    # A: plain UTF-8, folder named by the short name.
    write("开发区/2016统计表.csv", table_csv("开发区", T["开发区"], "阳泉经济技术开发区管委会", quirks=True).encode("utf-8"))
    # A: GB18030 from a department.
    write("市政府办公厅/2016年统计表.csv", table_csv("市政府办公厅", T["市政府办公厅"], "阳泉市人民政府办公厅").encode("gb18030"))
    # C: platform XML declared GBK with GBK-only characters (喆, 镕) in its attributes.
    x = platform_xml("", "阳泉市公安局", T["市公安局"], "GBK", False, True).replace('by="县政府办公室"', 'by="办公室 李喆、王镕"')
    write("市公安局/公安局报送.xml", x.encode("gbk"))
    # B: CSV UTF-8 with BOM, layout 1, with 2 duplicates and 1 item from 2015.
    edu = items([30, 4, 6, 5, 3, 7], "YQJY", path_every=0)
    lines = ["索引号,信息名称,发布机构,生成日期,信息类别,公开形式"]
    for iid, t, label, k in edu:
        lines.append(",".join(q(c) for c in [iid, t, "阳泉市教育局", dates(k, ["iso", "slash", "cn", "serial"]), label, "主动公开"]))
    lines.insert(5, lines[3]); lines.insert(20, lines[10])
    lines.append(",".join(q(c) for c in ["YQJY-2015-0999", "2015年末的通知", "阳泉市教育局", "2015-12-30", "通知公告", "主动公开"]))
    write("市教育局/公开目录导出.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    # A beside B: the same department's table, GB18030, with the whole content-category block and
    # the total left blank (its list says them), channels and applications filled in, "—" for none.
    write("市教育局/2016年统计表.csv", table_csv("市教育局", EDU_TABLE, "阳泉市教育局", quirks=False, rows=edu_rows()).encode("gb18030"))
    # B: GB18030 item list, another CMS layout, path labels, one duplicate and two items of 2017.
    fin = items([20, 2, 5, 3, 2, 10], "YQCZ", path_every=3)
    lines = ["索引号,标题,成文日期,主题分类,公开方式,备注"]
    for iid, t, label, k in fin:
        lines.append(",".join(q(c) for c in [iid, t, dates(k, ["dot", "compact", "iso"]), label, "网站", ""]))
    lines.insert(8, lines[2])
    lines.append(",".join(q(c) for c in ["YQCZ-2017-0001", "2017年预算公开", "2017.01.05", "财政预决算", "网站", ""]))
    lines.append(",".join(q(c) for c in ["YQCZ-2017-0002", "2017年一季度", "20170320", "统计信息", "网站", ""]))
    write("市财政局/公开目录.csv", ("\r\n".join(lines) + "\r\n").encode("gb18030"))
    # D: RSS-like XML, CDATA titles, RFC 822 dates.
    mz = items([18, 3, 2, 2, 2, 3], "YQMZ")
    x = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0">', '<channel>', '<title>阳泉市民政局 信息公开</title>']
    for iid, t, label, k in mz:
        x.append(f'<item><guid>{iid}</guid><title><![CDATA[{t} & <解读>]]></title><pubDate>{dates(k, ["rfc"])}</pubDate><category>{label}</category></item>')
    x += ['</channel>', '</rss>', '']
    write("市民政局/rss.xml", "\n".join(x).encode("utf-8"))
    # D: <records><record> with an attribute id and namespaced children.
    sj = items([10, 1, 2, 1, 1, 2], "YQSJ")
    x = ['<?xml version="1.0" encoding="UTF-8"?>', '<records xmlns:gk="http://www.gov.cn/xxgk/catalog">']
    for iid, t, label, k in sj:
        x.append(f'  <record indexNo="{iid}"><gk:title>{t.replace(chr(10), " ")}</gk:title><gk:date>{dates(k, ["iso"])}</gk:date><gk:category>{label}</gk:category></record>')
    x += ['</records>', '']
    write("市审计局/目录.xml", "\n".join(x).encode("utf-8"))
    # A + B: a table with its own categories, checked (not added) by its item list.
    st = dict(cats=STATS["cats"], online=0, letter=0, already=0, granted=0, other_route=0, consult=0, rev=(0, 0, 0), lit=(0, 0, 0), spend="0")
    write("市统计局/统计表.csv", table_csv("市统计局", st, "阳泉市统计局", quirks=False).encode("gb18030"))
    tj = items(STATS["cats"], "YQTJ")
    lines = ["序号,标题,发布日期,所属栏目,索引号"] + [",".join(q(c) for c in [str(n + 1), t, dates(k, ["iso"]), label, iid]) for n, (iid, t, label, k) in enumerate(tj)]
    write("市统计局/目录.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))

EDU_TABLE = dict(cats=[0] * 6, online=0, letter=0, already=0, granted=0, other_route=0, consult=0, rev=(0, 0, 0), lit=(0, 0, 0), spend="0")
EDU_LISTED = [30, 4, 6, 5, 3, 7]  # the list's distinct items of 2016 by category (55)

def edu_rows(declared=None):
    """市教育局's table: categories blank, or `declared` (a resubmission that fills them in)."""
    rows = rows_for(EDU_TABLE)
    values = {"政府网站公开政府信息数": 55, "政务微博公开政府信息数": 12, "政务微信公开政府信息数": "—",
              "其中：主动公开规范性文件数": 2, "制发规范性文件总数": 1, "政府信息公开工作支出": "", "接受公众咨询数": ""}
    if declared is None:
        return with_blanks(rows, blank=PROACTIVE_BLOCK + ["接受公众咨询数", "政府信息公开工作支出"], values=values)
    values.update(dict(zip(CATS, declared)))
    values["主动公开政府信息数（不同渠道和方式公开相同信息计1条）"] = sum(declared)
    return with_blanks(rows, blank=["接受公众咨询数", "政府信息公开工作支出"], values=values)

BLANK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "blank")

def blank():
    """Fixtures/blank/: files that leave cells blank, to put beside Fixtures/2016 in a test. Each
    is named <submitter folder>/<file>; what they add to the city is stated in the tests."""
    def put(path, data):
        write(path, data, root=BLANK)
    # The 市教育局 table resubmitted with its categories filled in: two disagree with its list.
    put("市教育局/2016年统计表（更正）.csv", table_csv("市教育局", EDU_TABLE, "阳泉市教育局", quirks=False,
        rows=edu_rows(declared=[30, 4, 6, 6, 3, 5])).encode("gb18030"))
    # The same, agreeing with the list in every category.
    put("市教育局/2016年统计表（再次更正）.csv", table_csv("市教育局", EDU_TABLE, "阳泉市教育局", quirks=False,
        rows=edu_rows(declared=EDU_LISTED)).encode("gb18030"))
    # C beside D: 市民政局's platform XML, GB2312, with empty elements: the proactive block, and the
    # totals of applications (收到申请数, 申请答复数, 不同意公开答复数) whose parts are all filled.
    mz = dict(cats=[0] * 6, online=2, letter=1, already=0, granted=3, other_route=0, consult=12, rev=(0, 0, 0), lit=(0, 0, 0), spend="0.30")
    rows = with_blanks(rows_for(mz), blank=PROACTIVE_BLOCK + ["收到申请数", "申请答复数", "不同意公开答复数", "申请办结数"],
                       values={"政府网站公开政府信息数": 30})
    put("市民政局/2016年报送.xml", platform_xml("", "阳泉市民政局", mz, "GB2312", False, True, rows=rows).encode("gb2312"))
    # C beside D: 市审计局's platform XML, UTF-8, whose proactive block and 行政复议数量 are missing
    # altogether (the elements are not there), its review outcomes present.
    sj = dict(cats=[0] * 6, online=0, letter=0, already=0, granted=0, other_route=0, consult=5, rev=(1, 0, 1), lit=(0, 0, 0), spend="0.10")
    put("市审计局/审计局报送.xml", platform_xml("", "阳泉市审计局", sj, "UTF-8", True, False,
        rows=with_blanks(rows_for(sj), values={"政府网站公开政府信息数": 17}),
        omit=set(PROACTIVE_BLOCK + ["行政复议数量"])).encode("utf-8"))

MATRIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "matrix")

def matrix():
    """Fixtures/matrix/<family>/<encoding>.<ext>: one content per family, in every encoding a
    submitter's system writes it. Each family's files must read to the same records."""
    def put(family, name, data):
        write(f"{family}/{name}", data, root=MATRIX)
    def utf16(text, little, bom=True):
        body = text.encode("utf-16-le" if little else "utf-16-be")
        return ((b"\xff\xfe" if little else b"\xfe\xff") if bom else b"") + body
    gb_bom = b"\x84\x31\x95\x33"
    # A: the statistical table, with its title and 填报单位 rows.
    a = table_csv("盂县", T["盂县"], "盂县人民政府", quirks=False)
    a_tab = table_csv("盂县", T["盂县"], "盂县人民政府", sep="\t", quirks=False)
    def every_encoding(family, text, utf16_text, utf16_ext):
        """The CSV encodings submitters' systems write; Excel's "Unicode 文本" is UTF-16."""
        put(family, "utf-8.csv", text.encode("utf-8"))
        put(family, "utf-8-bom.csv", text.encode("utf-8-sig"))
        put(family, "gb18030.csv", text.encode("gb18030"))
        put(family, "gb18030-bom.csv", gb_bom + text.encode("gb18030"))
        put(family, "utf-16le." + utf16_ext, utf16(utf16_text, True))
        put(family, "utf-16be." + utf16_ext, utf16(utf16_text, False))
    every_encoding("A", a, a_tab, "txt")
    put("A", "utf-16le-nobom.txt", utf16(a_tab, True, bom=False))
    # B: an item list with quoted titles, path labels, mixed dates, a duplicate and an item of 2015.
    rows = items([6, 2, 2, 2, 1, 3], "YXML", path_every=4)
    lines = ["索引号,信息名称,发布机构,生成日期,信息类别,公开形式"]
    for iid, t, label, k in rows:
        lines.append(",".join(q(c) for c in [iid, t, "盂县人民政府", dates(k, ["iso", "cn", "serial", "compact"]), label, "主动公开"]))
    lines.insert(4, lines[2])
    lines.append(",".join(q(c) for c in ["YXML-2015-0001", "2015年的通知", "盂县人民政府", "2015-11-30", "通知公告", "主动公开"]))
    b = "\r\n".join(lines) + "\r\n"
    every_encoding("B", b, b, "csv")
    # C: the platform XML, declared as each encoding it is written in.
    for enc, name, data in [("UTF-8", "utf-8.xml", None), ("GB18030", "gb18030.xml", None), ("GBK", "gbk.xml", None),
                            ("GB2312", "gbk-declared-gb2312.xml", "gbk"), ("UTF-16", "utf-16le.xml", "le"), ("UTF-16", "utf-16be.xml", "be")]:
        x = platform_xml("140322", "盂县人民政府", T["盂县"], enc, False, True).replace('by="县政府办公室"', 'by="办公室 李喆"')
        if data == "le": put("C", name, utf16(x, True))
        elif data == "be": put("C", name, utf16(x, False))
        elif data == "gbk": put("C", name, x.encode("gbk"))
        else: put("C", name, x.encode({"UTF-8": "utf-8", "GB18030": "gb18030", "GBK": "gbk"}[enc]))
    # D: the RSS-like CMS export.
    mz = items([5, 1, 1, 1, 1, 2], "YXRS")
    for enc, name in [("UTF-8", "utf-8.xml"), ("GB18030", "gb18030.xml"), ("UTF-16", "utf-16be.xml")]:
        x = [f'<?xml version="1.0" encoding="{enc}"?>', '<rss version="2.0">', '<channel>', '<title>盂县 信息公开</title>']
        for iid, t, label, k in mz:
            x.append(f'<item><guid>{iid}</guid><title><![CDATA[{t}]]></title><pubDate>{dates(k, ["rfc"])}</pubDate><category>{label}</category></item>')
        x += ['</channel>', '</rss>', '']
        text = "\n".join(x)
        put("D", name, utf16(text, False) if enc == "UTF-16" else text.encode(enc.lower()))

NAT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "2022")
T3_COLS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T3_COL_PATHS = ["自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
                "法人或其他组织/法律服务机构", "法人或其他组织/其他", "总计"]
T3_ROWS = [  # (path levels as the template prints them, key)
    (["一、本年新收政府信息公开申请数量"], "new"), (["二、上年结转政府信息公开申请数量"], "carried_in"),
    (["三、本年度办理结果", "（一）予以公开"], "granted"),
    (["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "partial"),
    (["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"], "d1"), (["", "", "2.其他法律行政法规禁止公开"], "d2"),
    (["", "", "3.危及“三安全一稳定”"], "d3"), (["", "", "4.保护第三方合法权益"], "d4"), (["", "", "5.属于三类内部事务信息"], "d5"),
    (["", "", "6.属于四类过程性信息"], "d6"), (["", "", "7.属于行政执法案卷"], "d7"), (["", "", "8.属于行政查询事项"], "d8"),
    (["", "（四）无法提供", "1.本机关不掌握相关政府信息"], "u1"), (["", "", "2.没有现成信息需要另行制作"], "u2"),
    (["", "", "3.补正后申请内容仍不明确"], "u3"),
    (["", "（五）不予处理", "1.信访举报投诉类申请"], "n1"), (["", "", "2.重复申请"], "n2"), (["", "", "3.要求提供公开出版物"], "n3"),
    (["", "", "4.无正当理由大量反复申请"], "n4"), (["", "", "5.要求行政机关确认或重新出具已获取信息"], "n5"),
    (["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"], "o1"),
    (["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"], "o2"), (["", "", "3.其他"], "o3"),
    (["", "（七）总计"], "total"), (["四、结转下年度继续办理"], "carry_out")]
RESULTS = [k for _, k in T3_ROWS if k not in ("new", "carried_in", "total", "carry_out")]
T4_HEAD = ["行政复议", "行政诉讼"]
T4_OUT = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def national_body(seed, big):
    """One body's 2022 figures, every identity holding: t3[key][col], t2, t4."""
    r = random.Random(seed)
    t3 = {k: [0] * 7 for _, k in T3_ROWS}
    for c in range(6):
        scale = big if c == 0 else max(1, big // 8)
        n = r.randint(0, scale) if c == 0 or r.random() < 0.5 else 0
        t3["new"][c] = n
        t3["carried_in"][c] = r.randint(0, 2) if n else 0
        left = n + t3["carried_in"][c]
        done = left - (r.randint(0, 2) if left > 2 else 0)
        t3["carry_out"][c] = left - done
        for key in RESULTS:
            if done <= 0: break
            share = done if key == RESULTS[-1] else (r.randint(0, done) if key in ("granted", "partial", "u1", "n2", "o3", "d4") else 0)
            t3[key][c] += share
            done -= share
        t3["granted"][c] += done if done > 0 else 0
        t3["total"][c] = sum(t3[k][c] for k in RESULTS)
    for k in t3: t3[k][6] = sum(t3[k][:6])
    t2 = {"规章": [r.randint(0, 2), 0, r.randint(2, 9)], "行政规范性文件": [r.randint(1, 6), r.randint(0, 2), r.randint(10, 40)],
          "行政许可": [r.randint(50, 900)], "行政处罚": [r.randint(0, 300)], "行政强制": [r.randint(0, 20)],
          "行政事业性收费": [f"{r.randint(0, 500) / 100:.2f}"]}
    t4 = []
    for _ in range(3):
        outs = [r.randint(0, 2) if r.random() < 0.4 else 0 for _ in range(4)]
        t4 += outs + [sum(outs)]
    return dict(t2=t2, t3=t3, t4=t4)


def national_csv(b, tables=("t2", "t3", "t4"), blank_total_column=False, blank_t4=False, title=""):
    """The national template as Excel saves it: merged headers exported as empty cells."""
    out = [[title]] if title else []
    if "t2" in tables:
        out += [["二、主动公开政府信息情况"]]
        for head, cols, rows in [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
                                 ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
                                 ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
                                 ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])]:
            out += [[head, "", "", ""], ["信息内容"] + cols]
            out += [[row] + [str(v) for v in b["t2"][row]] for row in rows]
        out.append([])
    if "t3" in tables:
        out += [["三、收到和处理政府信息公开申请情况"],
                ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""],
                ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
                ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
        for levels, key in T3_ROWS:
            labels = (levels + ["", "", ""])[:3]
            vals = [str(v) for v in b["t3"][key]]
            if blank_total_column: vals[6] = ""
            out.append(labels + vals)
        out.append([])
    if "t4" in tables:
        out += [["四、政府信息公开行政复议、行政诉讼情况"],
                ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
                [""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                T4_OUT * 3,
                ["" if blank_t4 else str(v) for v in b["t4"]]]
    return "\r\n".join(",".join(q(c) for c in row) for row in out) + "\r\n"


def national_xml(code, name, b, encoding="UTF-8", leaf_only=False, year=2022, rows=None):
    rows = rows or T3_ROWS
    x = [f'<?xml version="1.0" encoding="{encoding}"?>', f'<GovInfoDisclosureReport year="{year}" form="{"NAT-2021" if year >= 2021 else "NAT-2019"}">',
         f'  <Submitter code="{code}" name="{name}"/>', '  <Table no="2" name="主动公开政府信息情况">']
    for row, cols in [("规章", ["本年制发件数", "本年废止件数", "现行有效件数"]), ("行政规范性文件", ["本年制发件数", "本年废止件数", "现行有效件数"]),
                      ("行政许可", ["本年处理决定数量"]), ("行政处罚", ["本年处理决定数量"]), ("行政强制", ["本年处理决定数量"]),
                      ("行政事业性收费", ["本年收费金额（单位：万元）"])]:
        for c, v in zip(cols, b["t2"][row]):
            x.append(f'    <Cell row="{row}" col="{c}">{v}</Cell>')
    if year < 2021:
        x = x[:4]  # table 2 of the 2019 form has other columns: left out of these files
    x += ['  </Table>', '  <Table no="3" name="收到和处理政府信息公开申请情况">']
    for levels, key in rows:
        full = [l for l in levels if l]
        path = "/".join(full) if not leaf_only else full[-1]
        for c, v in zip(T3_COL_PATHS, b["t3"][key]):
            col = c if not leaf_only else c.split("/")[-1]
            x.append(f'    <Cell row="{path}" col="{col}">{v}</Cell>')
    x += ['  </Table>', '  <Table no="4" name="政府信息公开行政复议、行政诉讼情况">']
    blocks = ["行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"]
    for k, v in enumerate(b["t4"]):
        x.append(f'    <Cell row="" col="{blocks[k // 5]}/{T4_OUT[k % 5]}">{v}</Cell>')
    x += ['  </Table>', '</GovInfoDisclosureReport>', '']
    return "\n".join(x)


NAT_BODIES = [  # folder, declared name, code, size, how it sends
    ("城区", "阳泉市城区人民政府", "140302", 40, "csv-gb"), ("矿区", "阳泉市矿区人民政府", "140303", 20, "csv-split"),
    ("郊区", "阳泉市郊区人民政府", "140311", 30, "csv-gb"), ("平定县", "平定县人民政府", "140321", 25, "csv-blank-total"),
    ("盂县", "盂县人民政府", "140322", 25, "xml"), ("开发区", "阳泉经济技术开发区管委会", "", 10, "xml-leaf"),
    ("市政府办公厅", "阳泉市人民政府办公厅", "", 30, "csv-gb"), ("市教育局", "阳泉市教育局", "", 15, "csv-split"),
    ("市公安局", "阳泉市公安局", "", 35, "csv-gb"), ("市自然资源局", "阳泉市自然资源局", "", 20, "xml"),
    ("市生态环境局", "阳泉市生态环境局", "", 12, "xml-leaf"), ("市市场监督管理局", "阳泉市市场监督管理局", "", 18, "csv-blank-t4"),
]


T3_ROWS_2019 = [r for r in T3_ROWS if r[1] not in ("o1", "o2", "o3")]
T3_ROWS_2019.insert([k for _, k in T3_ROWS_2019].index("total"), (["", "（六）其他处理"], "o"))


def balanced(b, carry_out):
    """The same body with its carry-out set: the results absorb the difference (一+二 = 七+四 still)."""
    t3 = {k: list(v) for k, v in b["t3"].items()}
    for c in range(6):
        t3["carry_out"][c] = carry_out[c]
        left = t3["new"][c] + t3["carried_in"][c]
        if left < carry_out[c]:
            t3["new"][c] += carry_out[c] - left
            left = carry_out[c]
        done = left - carry_out[c]
        for key in RESULTS: t3[key][c] = 0
        t3["granted"][c] = done
        t3["total"][c] = done
    for k in t3: t3[k][6] = sum(t3[k][:6])
    return dict(t2=b["t2"], t3=t3, t4=b["t4"])


def other_handling(b, rows):
    """Moves one granted case of 自然人 to each of `rows` (（六）其他处理), where there are enough."""
    t3 = {k: list(v) for k, v in b["t3"].items()}
    for key in rows:
        if t3["granted"][0] >= 2:
            t3["granted"][0] -= 1
            t3["granted"][6] -= 1
            t3[key][0] += 1
            t3[key][6] += 1
    return dict(b, t3=t3)


def national_earlier(bodies):
    """Fixtures/2021/ (NAT-2021) and Fixtures/2020/ (NAT-2019): what the same bodies reported the
    years before. Each carried out what it carried into the next year, except 市公安局, whose 2021
    结转下年度 (自然人) is one more than its 2022 上年结转; and each 现行有效 follows on, except
    市教育局's 行政规范性文件 (two fewer in 2022 than 2021 + 制发 − 废止)."""
    earlier = {}
    root21 = os.path.join(os.path.dirname(NAT), "2021")
    for k, (folder, declared, code, big, how) in enumerate(NAT_BODIES):
        carry = list(bodies[folder][0]["t3"]["carried_in"][:6])
        if folder == "市公安局": carry[0] += 1
        b = balanced(national_body(2021 * 100 + k, big), carry)
        # 现行有效 carries over too (2022's = 2021's + 制发 − 废止), but 市教育局 amended two documents.
        t2 = dict(b["t2"])
        for row in ("规章", "行政规范性文件"):
            issued, repealed, in_force = bodies[folder][0]["t2"][row]
            t2[row] = [t2[row][0], t2[row][1], in_force - issued + repealed + (2 if folder == "市教育局" and row == "行政规范性文件" else 0)]
        b = other_handling(dict(b, t2=t2), ["o1", "o3"])
        earlier[folder] = b
        if how.startswith("csv"):
            write(f"{folder}/2021年报统计表.csv", national_csv(b, title=f"{declared}2021年政府信息公开工作年度报告统计表").encode("gb18030"), root=root21)
        else:
            write(f"{folder}/2021年报数据.xml", national_xml(code, declared, b, year=2021).encode("utf-8"), root=root21)
    root20 = os.path.join(os.path.dirname(NAT), "2020")
    for k, (folder, declared, code, big, how) in enumerate(NAT_BODIES[:4]):
        b = balanced(national_body(2020 * 100 + k, big), list(earlier[folder]["t3"]["carried_in"][:6]))
        b["t3"]["o"] = [0] * 7
        b = other_handling(b, ["o"])
        write(f"{folder}/2020年报数据.xml", national_xml(code, declared, b, year=2020, rows=T3_ROWS_2019).encode("utf-8"), root=root20)


def national():
    """Fixtures/2022/: twelve bodies' 2022 figures in the national format (NAT-2021), as each sends
    them; Fixtures/2022-expected.json states the city's consolidated cells."""
    bodies = {}
    for k, (folder, declared, code, big, how) in enumerate(NAT_BODIES):
        b = national_body(2022 * 100 + k, big)
        bodies[folder] = (b, how)
        head = f"{declared}2022年政府信息公开工作年度报告统计表"
        if how == "csv-gb":
            write(f"{folder}/2022年报统计表.csv", national_csv(b, title=head).encode("gb18030"), root=NAT)
        elif how == "csv-split":
            for t, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
                write(f"{folder}/{name}.csv", ("\ufeff" + national_csv(b, tables=(t,))).encode("utf-8"), root=NAT)
        elif how == "csv-blank-total":
            write(f"{folder}/统计表.csv", national_csv(b, blank_total_column=True, title=head).encode("utf-8"), root=NAT)
        elif how == "csv-blank-t4":
            write(f"{folder}/统计表.csv", national_csv(b, blank_t4=True, title=head).encode("gb18030"), root=NAT)
        elif how == "xml":
            write(f"{folder}/年报数据.xml", national_xml(code, declared, b).encode("utf-8"), root=NAT)
            if folder == "盂县":
                # Resubmitted: one more application from a natural person, granted. The newer file
                # (its time is later) supersedes the first, which stays in the inbox and the history.
                t3 = {k: list(v) for k, v in b["t3"].items()}
                for key in ("new", "granted", "total"):
                    t3[key][0] += 1
                    t3[key][6] += 1
                b = dict(b, t3=t3)
                bodies[folder] = (b, how)
                write(f"{folder}/年报数据（更正）.xml", national_xml(code, declared, b).encode("utf-8"), root=NAT)
        elif how == "xml-leaf":
            write(f"{folder}/年报数据.xml", national_xml(code, declared, b, encoding="GB18030", leaf_only=True).encode("gb18030"), root=NAT)
    # The city's figures by code: every cell of tables 3 and 4 summed over the bodies that reported it.
    cols = ["natural", "org.business", "org.research", "org.ngo", "org.legal", "org.other", "total"]
    codes = {"new": "new", "carried_in": "carried_in", "granted": "res.granted", "partial": "res.partial",
             "total": "res.total", "carry_out": "carry_out"}
    for prefix, names in (("d", ["state_secret", "law_prohibited", "three_security_one_stability", "third_party", "internal_affairs",
                                 "process_info", "enforcement_file", "admin_query"]), ("u", ["not_held", "needs_creation", "unclear"]),
                          ("n", ["petition", "repeat", "publication", "mass_repeat", "confirm_reissue"]), ("o", ["no_correction", "no_fee", "other"])):
        group = {"d": "denied", "u": "unable", "n": "not_processed", "o": "other"}[prefix]
        for i, name in enumerate(names):
            codes[f"{prefix}{i + 1}"] = f"res.{group}.{name}"
    t4 = [f"{b}.{o}" for b in ("review", "lit_direct", "lit_after_review") for o in ("upheld", "corrected", "other", "pending", "total")]
    expected = {}
    for folder, (b, how) in sorted(bodies.items()):
        for _, key in T3_ROWS:
            for c, v in enumerate(b["t3"][key]):
                code = f"v2021.t3.{codes[key]}.{cols[c]}"
                expected[code] = expected.get(code, 0) + v
        if how != "csv-blank-t4":
            for c, v in enumerate(b["t4"]):
                expected[f"v2021.t4.{t4[c]}"] = expected.get(f"v2021.t4.{t4[c]}", 0) + v
    with open(os.path.join(os.path.dirname(NAT), "2022-expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=0, sort_keys=True)
    national_earlier(bodies)


if __name__ == "__main__":
    main()
    matrix()
    blank()
    national()
