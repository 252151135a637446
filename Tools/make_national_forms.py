#!/usr/bin/env python3
"""Writes the national-format forms, NAT-2019 and NAT-2021, into the shipped default configuration
(Sources/Pipeline/Defaults/config/forms/). Labels verbatim from the national templates
(国办公开办函〔2019〕60号, 〔2021〕30号; taxonomy-research.md §3), codes as its §3 gives them,
identities as its §4.1. The JSON is the data the tool reads; this script only writes it out once,
deterministically. Rerun it after changing a label here."""
import json, os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Pipeline", "Defaults", "config", "forms")

T3_COLUMNS = [("natural", "自然人", None), ("org.business", "商业企业", "法人或其他组织"), ("org.research", "科研机构", "法人或其他组织"),
              ("org.ngo", "社会公益组织", "法人或其他组织"), ("org.legal", "法律服务机构", "法人或其他组织"),
              ("org.other", "其他", "法人或其他组织"), ("total", "总计", None)]
DENIED = [("state_secret", "属于国家秘密"), ("law_prohibited", "其他法律行政法规禁止公开"),
          ("three_security_one_stability", "危及“三安全一稳定”"), ("third_party", "保护第三方合法权益"),
          ("internal_affairs", "属于三类内部事务信息"), ("process_info", "属于四类过程性信息"),
          ("enforcement_file", "属于行政执法案卷"), ("admin_query", "属于行政查询事项")]
UNABLE = [("not_held", "本机关不掌握相关政府信息"), ("needs_creation", "没有现成信息需要另行制作"), ("unclear", "补正后申请内容仍不明确")]
NOT_PROCESSED = [("petition", "信访举报投诉类申请"), ("repeat", "重复申请"), ("publication", "要求提供公开出版物"),
                 ("mass_repeat", "无正当理由大量反复申请"), ("confirm_reissue", "要求行政机关确认或重新出具已获取信息")]
OTHER_2021 = [("no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
              ("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("other", "其他")]
T4_BLOCKS = [("review", "行政复议"), ("lit_direct", "行政诉讼/未经复议直接起诉"), ("lit_after_review", "行政诉讼/复议后起诉")]
T4_OUTCOMES = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")]


def row(code, label, unit="件", parent=None, number=None, printed=None, columns=None, aliases=None):
    r = {"code": code, "label": label}
    if printed: r["printed"] = printed
    if number: r["row"] = number
    if unit: r["unit"] = unit
    if parent: r["parent"] = parent
    if columns: r["columns"] = [dict({"code": c, "label": l}, **({"signed": True} if c == "delta_items" else {})) for c, l in columns]
    if aliases: r["aliases"] = aliases
    return r


def column(code, label, group):
    c = {"code": code, "label": label}
    if group: c["group"] = group
    return c


def table2(v):
    p = f"{v}.t2"
    if v == "v2021":
        doc = [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]
        rows = [row(f"{p}.item1", "第二十条第（一）项", unit=None),
                row(f"{p}.regulations", "规章", parent=f"{p}.item1", columns=doc),
                row(f"{p}.normative", "行政规范性文件", parent=f"{p}.item1", columns=doc, aliases=["规范性文件"]),
                row(f"{p}.item5", "第二十条第（五）项", unit=None),
                row(f"{p}.licensing", "行政许可", parent=f"{p}.item5", columns=[("decisions", "本年处理决定数量")]),
                row(f"{p}.item6", "第二十条第（六）项", unit=None),
                row(f"{p}.penalty", "行政处罚", parent=f"{p}.item6", columns=[("decisions", "本年处理决定数量")]),
                row(f"{p}.coercion", "行政强制", parent=f"{p}.item6", columns=[("decisions", "本年处理决定数量")]),
                row(f"{p}.item8", "第二十条第（八）项", unit=None),
                row(f"{p}.fees", "行政事业性收费", unit="万元", parent=f"{p}.item8", columns=[("amount_wan", "本年收费金额（单位：万元）")])]
    else:
        doc = [("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total_public", "对外公开总数量")]
        items = [("prev_items", "上一年项目数量"), ("delta_items", "本年增/减"), ("decisions", "处理决定数量")]
        rows = [row(f"{p}.item1", "第二十条第（一）项", unit=None),
                row(f"{p}.regulations", "规章", parent=f"{p}.item1", columns=doc),
                row(f"{p}.normative", "规范性文件", parent=f"{p}.item1", columns=doc, aliases=["行政规范性文件"]),
                row(f"{p}.item5", "第二十条第（五）项", unit=None),
                row(f"{p}.licensing", "行政许可", parent=f"{p}.item5", columns=items),
                row(f"{p}.other_services", "其他对外管理服务事项", parent=f"{p}.item5", columns=items),
                row(f"{p}.item6", "第二十条第（六）项", unit=None),
                row(f"{p}.penalty", "行政处罚", parent=f"{p}.item6", columns=items),
                row(f"{p}.coercion", "行政强制", parent=f"{p}.item6", columns=items),
                row(f"{p}.item8", "第二十条第（八）项", unit=None),
                row(f"{p}.fees", "行政事业性收费", parent=f"{p}.item8", columns=items[:2]),
                row(f"{p}.item9", "第二十条第（九）项", unit=None),
                row(f"{p}.procurement", "政府集中采购", unit=None, parent=f"{p}.item9", columns=[]),
                ]
        # 采购项目数量 (项) and 采购总金额 (万元) differ in unit: two rows of one column each.
        rows[-1] = row(f"{p}.procurement", "政府集中采购", unit="项", parent=f"{p}.item9", columns=[("projects", "采购项目数量")])
        rows.append(row(f"{p}.procurement_amount", "政府集中采购", unit="万元", parent=f"{p}.item9", columns=[("amount", "采购总金额")]))
    return {"id": "t2", "title": "主动公开政府信息情况", "header": "信息内容", "rows": rows}


def table3(v):
    p = f"{v}.t3"
    rows = [row(f"{p}.new", "本年新收政府信息公开申请数量", number="一"),
            row(f"{p}.carried_in", "上年结转政府信息公开申请数量", number="二"),
            row(f"{p}.res", "本年度办理结果", unit=None, number="三"),
            row(f"{p}.res.granted", "予以公开", parent=f"{p}.res", number="（一）"),
            row(f"{p}.res.partial", "部分公开", parent=f"{p}.res", number="（二）", printed="（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            row(f"{p}.res.denied", "不予公开", unit=None, parent=f"{p}.res", number="（三）")]
    rows += [row(f"{p}.res.denied.{c}", l, parent=f"{p}.res.denied", number=f"{k + 1}.") for k, (c, l) in enumerate(DENIED)]
    rows.append(row(f"{p}.res.unable", "无法提供", unit=None, parent=f"{p}.res", number="（四）"))
    rows += [row(f"{p}.res.unable.{c}", l, parent=f"{p}.res.unable", number=f"{k + 1}.") for k, (c, l) in enumerate(UNABLE)]
    rows.append(row(f"{p}.res.not_processed", "不予处理", unit=None, parent=f"{p}.res", number="（五）"))
    rows += [row(f"{p}.res.not_processed.{c}", l, parent=f"{p}.res.not_processed", number=f"{k + 1}.") for k, (c, l) in enumerate(NOT_PROCESSED)]
    if v == "v2021":
        rows.append(row(f"{p}.res.other", "其他处理", unit=None, parent=f"{p}.res", number="（六）"))
        rows += [row(f"{p}.res.other.{c}", l, parent=f"{p}.res.other", number=f"{k + 1}.") for k, (c, l) in enumerate(OTHER_2021)]
        # Reports of 2023 and 2024 still print the 2019 table's single （六）其他处理 row: read it as
        # an undivided row under （六）, counted in （七）总计 and in the city's （六）, its three rows
        # left not reported.
        undivided = row(f"{p}.res.other.undivided", "其他处理（未分项）", parent=f"{p}.res.other", number="（六）",
                        printed="（六）其他处理", aliases=["其他处理"])
        undivided["legacy"] = "NAT-2019"
        rows.append(undivided)
    else:
        rows.append(row(f"{p}.res.other", "其他处理", parent=f"{p}.res", number="（六）"))
    rows.append(row(f"{p}.res.total", "总计", parent=f"{p}.res", number="（七）"))
    rows.append(row(f"{p}.carry_out", "结转下年度继续办理", number="四"))
    return {"id": "t3", "title": "收到和处理政府信息公开申请情况", "header": "申请人情况",
            "columns": [column(c, l, g) for c, l, g in T3_COLUMNS], "rows": rows}


def table4(v):
    return {"id": "t4", "title": "政府信息公开行政复议、行政诉讼情况", "header": "行政复议",
            "columns": [column(f"{b}.{o}", ol, bl) for b, bl in T4_BLOCKS for o, ol in T4_OUTCOMES],
            "rows": [row(f"{v}.t4", "行政复议、行政诉讼情况")]}


def identities(v, t3):
    p = f"{v}.t3"
    results = [r["code"] for r in t3["rows"] if r["code"].startswith(f"{p}.res.") and "unit" in r and r["code"] != f"{p}.res.total"]
    out = [
        {"id": "T3-1", "kind": "balance", "per": "column", "total": f"{p}.new", "parts": [f"{p}.new", f"{p}.carried_in"],
         "right": [f"{p}.res.total", f"{p}.carry_out"], "severity": "error",
         "description": "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"},
        {"id": "T3-2", "kind": "sum", "per": "column", "total": f"{p}.res.total", "parts": results, "severity": "error",
         "description": "（七）总计等于各项办理结果之和"},
        {"id": "T3-4", "kind": "sum", "across": "t3", "total": "total", "parts": [c for c, _, _ in T3_COLUMNS if c != "total"],
         "severity": "error", "description": "总计列等于自然人与五类法人或其他组织之和"},
    ]
    for b, bl in T4_BLOCKS:
        out.append({"id": f"T4-1-{b}", "kind": "sum", "total": f"{v}.t4.{b}.total",
                    "parts": [f"{v}.t4.{b}.{o}" for o, _ in T4_OUTCOMES if o != "total"], "severity": "error",
                    "description": f"{bl.replace('/', '')}总计等于结果维持、结果纠正、其他结果、尚未审结之和"})
    if v == "v2019":
        for r in ("regulations", "normative"):
            out.append({"id": f"T2-2-{r}", "kind": "atMost", "total": f"{v}.t2.{r}.total_public", "parts": [f"{v}.t2.{r}.published"],
                        "severity": "warning", "description": "对外公开总数量不少于本年新公开数量"})
    return out


def form(fid, name, years, v):
    t3 = table3(v)
    return {"id": fid, "name": name, "years": {"from": years[0], "to": years[1]}, "layout": "national",
            "tables": [table2(v), t3, table4(v)], "identities": identities(v, t3)}


if __name__ == "__main__":
    for fid, name, years, v in [("NAT-2019", "中华人民共和国政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）", (2019, 2020), "v2019"),
                                ("NAT-2021", "中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）", (2021, 2099), "v2021")]:
        with open(os.path.join(OUT, f"{fid}.json"), "w", encoding="utf-8") as f:
            json.dump(form(fid, name, years, v), f, ensure_ascii=False, indent=1)
            f.write("\n")
