#!/usr/bin/env python3
"""Writes Fixtures/variants/2022/: national-format submissions of four 2022 bodies as real
bodies write them, with the label variants the spec names, in every text family. Each holds
exactly the figures of the body's file in Fixtures/2022, so a run on them must give the same
totals as a run on the originals, exit 0.

variants/2022/市教育局/表二.csv 表三.csv 表四.csv   one table a file (UTF-8 with BOM): labels with
    "，" and "," for "、", 1、 and （1） numbering, full-width digits, quotes of another kind, a
    row with characters dropped ("2.其他法律行政止公开"); table 4 all "—" (nothing to report)
    with the 填表人 / 联系电话 line under it, the way the template's sheet is exported
variants/2022/城区/2022年报统计表.csv          the three tables on one sheet (GB18030), the same
    label variants, a 填表人 line spread over several cells after table 4, a 填报日期 line
variants/2022/郊区/年报数据.xml                platform XML, row paths with the variants
variants/2022-page/市教育局/2022年度报告.html    the report page (tables 3 and 4) with the variants,
    table 4's row all "—" and a 填表人 row inside the table"""
import csv, io, os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "variants", "2022")

LABELS = {
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "2.申请人逾期未按收费通知要求缴纳费用,行政机关不再处理其政府信息公开申请",
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "1.属于国家秘密": "１．属于国家秘密",
    "3.危及“三安全一稳定”": "3.危及\"三安全一稳定\"",
    "1.本机关不掌握相关政府信息": "（1）本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作": "（2）没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确": "（3）补正后申请内容仍不明确",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开(区分处理的,只计这一情形,不计其他情形)",
    "5.要求行政机关确认或重新出具已获取信息": "5、要求行政机关确认或重新出具已获取信息",
}
NOTE = ["填表人：李某某", "", "", "审核人：王某某", "", "", "联系电话：0353-2021234"]


def decode(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            pass
    raise ValueError(path)


def rows_of(path):
    text, enc = decode(path)
    return list(csv.reader(io.StringIO(text))), enc


def write(path, rows, enc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue()
    open(path, "wb").write(("\ufeff" + data).encode("utf-8") if enc == "utf-8-sig" else data.encode(enc))


def vary(rows):
    return [[LABELS.get(c, c) for c in row] for row in rows]


def dash_table4(rows):
    """Table 4's row of zeros written as "—", the note line under it."""
    out = []
    for k, row in enumerate(rows):
        if k > 0 and rows[k - 1][:1] == ["结果维持"] and all(c.strip() == "0" for c in row if c.strip()):
            out.append(["—"] * len(row))
        else:
            out.append(row)
    return out + [NOTE + [""] * 8]


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(OUT + "-page", ignore_errors=True)
    src = os.path.join(HERE, "2022")
    for name in ("表二.csv", "表三.csv", "表四.csv"):
        rows, enc = rows_of(os.path.join(src, "市教育局", name))
        rows = vary(rows)
        if name == "表四.csv":
            rows = dash_table4(rows)
        write(os.path.join(OUT, "市教育局", name), rows, enc)
    rows, enc = rows_of(os.path.join(src, "城区", "2022年报统计表.csv"))
    rows = vary(rows) + [NOTE + [""] * 3, ["填报日期：2023年1月18日"]]
    write(os.path.join(OUT, "城区", "2022年报统计表.csv"), rows, enc)
    # Platform XML: the same cells, row paths as a platform release writes them with the variants.
    rows, _ = rows_of(os.path.join(src, "郊区", "2022年报统计表.csv"))
    write_xml(os.path.join(OUT, "郊区", "年报数据.xml"), rows)
    rows = rows_of(os.path.join(src, "市教育局", "表三.csv"))[0] + rows_of(os.path.join(src, "市教育局", "表四.csv"))[0]
    write_html(os.path.join(OUT + "-page", "市教育局", "2022年度报告.html"), rows)


def sections(rows):
    """(table, header rows, data rows) of a one-sheet template."""
    out, k = [], 0
    while k < len(rows):
        row = [c.strip() for c in rows[k]]
        if "申请人情况" in row:
            out.append(("3", rows[k:k + 3], []))
            k += 3
            while k < len(rows) and any(c.strip() for c in rows[k]) and rows[k][0] != "":
                out[-1][2].append(rows[k]); k += 1
            while k < len(rows) and any(c.strip() for c in rows[k]):
                out[-1][2].append(rows[k]); k += 1
            continue
        if row[:1] == ["行政复议"]:
            out.append(("4", rows[k:k + 3], [rows[k + 3]]))
            k += 4
            continue
        k += 1
    return out


COLUMNS = ["自然人", "法人或其他组织/商业企业", "法人或其他组织/科研机构", "法人或其他组织/社会公益组织",
           "法人或其他组织/法律服务机构", "法人或其他组织/其他", "总计"]
T4 = [f"{g}/{o}" for g in ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
      for o in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]


def t3_paths(data):
    """Each data row's label path, upper levels carried down."""
    levels, out = ["", "", ""], []
    for row in data:
        own = row[:3]
        first = next((j for j, c in enumerate(own) if c.strip()), None)
        if first is not None:
            levels = levels[:first] + own[first:]
        out.append(([c for c in levels if c.strip()], row[3:10]))
    return out


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_xml(path, rows):
    cells = []
    for table, _, data in sections(rows):
        if table == "3":
            for path_, values in t3_paths(data):
                leaf = LABELS.get(path_[-1], path_[-1])
                row = "/".join(path_[1:-1] + [leaf]) if len(path_) > 1 else leaf
                cells += [("3", row, c, v) for c, v in zip(COLUMNS, values)]
        else:
            cells += [("4", "", c, v) for c, v in zip(T4, data[0])]
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<GovInfoDisclosureReport year="2022" form="NAT-2021">',
           '  <Submitter code="140311" name="阳泉市郊区人民政府"/>']
    for table in ("3", "4"):
        out.append(f'  <Table no="{table}">')
        out += [f'    <Cell row="{esc(r)}" col="{esc(c)}">{esc(v)}</Cell>' for t, r, c, v in cells if t == table]
        out.append("  </Table>")
    out.append("</GovInfoDisclosureReport>\n")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write("\n".join(out))


def write_html(path, rows):
    parts = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>2022年度报告</title></head><body>',
             "<p>平定县人民政府2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"]
    for table, header, data in sections(rows):
        parts.append('<table class="MsoNormalTable" border="1">')
        for row in header:
            parts.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        for row in data:
            if table == "4" and all(c.strip() == "0" for c in row if c.strip()):
                row = ["—"] * len(row)
            parts.append("<tr>" + "".join(f"<td><span>{esc(LABELS.get(c, c))}</span></td>" for c in row) + "</tr>")
        if table == "4":
            parts.append('<tr><td colspan="5">填表人：李某某</td><td colspan="5">审核人：王某某</td><td colspan="5">联系电话：0353-2021234</td></tr>')
        parts.append("</table>")
        if table == "3":
            parts.append("<p>四、政府信息公开行政复议、行政诉讼情况</p>")
    parts.append("<p>五、存在的主要问题及改进情况</p></body></html>\n")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "w", encoding="utf-8").write("".join(parts))


if __name__ == "__main__":
    main()
