#!/usr/bin/env python3
"""Writes Fixtures/pdf/: bodies' published 2022 reports as PDFs, made the way bodies make them:
a Word report laid out like the official template (its column widths, merged cells, the narrow
first column that prints 三、本年度办理结果 a character a line, labels wrapped in their cells,
borders, a page number in the footer and a running head), exported to PDF by LibreOffice
(`soffice --convert-to pdf`, as WPS and Word export). The figures come from the body's CSV
template in Fixtures/2022, so a PDF must consolidate to exactly what that CSV gives.

pdf/2022/城区/…年度报告.pdf        cells centred vertically (WPS), header rows repeated on each page
pdf/2022/郊区/…年度报告.pdf        cells top-aligned (Word), header not repeated, labels as real
    reports print them: "逾期不补正，行政机关" and ",", 1、 and （1） numbering, a label with
    characters dropped ("2.其他法律行政止公开"), full-width digits in a numbering
pdf/2022/市教育局/…年度报告.pdf    no review or lawsuit: table 4 all "—", the 填表人 line under it
pdf/2022/市政府办公厅/…年度报告.pdf  a 2019-style single （六）其他处理 row in the 2021 table
pdf/2022-undivided/城区/…年度报告.pdf  城区's figures with that single （六） row (its figure 3, not 0)
pdf/2022-narrative/城区/…年度报告.pdf (and 2022-narrative-docx/, the Word file)  a report whose text disagrees with its tables (受理
    申请17件 against 47), with no fifth part, and "没有收取任何费用" against 1.50 万元 of fees
pdf/2022-long/城区/…年度报告.pdf        城区's report with its whole narrative: six pages, table 3 over a page break (`make bench` times it)
pdf/hostile/扫描件.pdf     a scan: one picture a page, no text layer
pdf/hostile/加密.pdf       opened only with a password
pdf/hostile/截断.pdf       the 城区 report cut off half-way (a copy interrupted)
pdf/hostile/损坏.pdf       a PDF header over garbage

Needs LibreOffice (libreoffice-writer-nogui) and a CJK font (fonts-noto-cjk); `make test-deps`
installs both. The PDFs carry LibreOffice's creation time, so a rerun rewrites them with other
bytes and the same pages."""
import os, shutil, subprocess, tempfile, zipfile, zlib

from make_office_fixtures import read_csv

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "pdf")
STAMP = (2023, 1, 20, 9, 0, 0)

W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_rows(folder):
    """Every row of a body's CSV files (any encoding the fixtures use), in file order."""
    rows = []
    for name in sorted(os.listdir(folder), key=lambda n: ("表二" not in n, "表三" not in n, n)):
        rows += read_csv(os.path.join(folder, name))
    return rows


def figures(folder):
    """Table 2's blocks, table 3's 25 rows of 7 figures and table 4's 15, as the CSV states them."""
    rows = read_rows(folder)
    t2, t3, t4 = [], [], None
    k = 0
    while k < len(rows):
        row = [c.strip() for c in rows[k]]
        if "信息内容" in row:
            header = [c for c in row[1:] if c]
            block = {"header": header, "rows": []}
            k += 1
            while k < len(rows) and rows[k] and rows[k][0] and not rows[k][0].startswith("第二十条") and rows[k][0] != "信息内容" \
                    and any(c.strip() for c in rows[k][1:]):
                block["rows"].append([rows[k][0]] + [c for c in rows[k][1:1 + len(header)]])
                k += 1
            t2.append(block)
            continue
        if "申请人情况" in row:
            k += 3
            while k < len(rows) and len(t3) < 25:
                if any(c.strip() for c in rows[k]):
                    t3.append(rows[k][3:10])
                k += 1
            continue
        if row[:1] == ["结果维持"]:
            t4 = rows[k + 1][:15]
            k += 2
            continue
        k += 1
    assert len(t3) == 25, (folder, len(t3))
    return t2, t3, t4


# ------------------------------------------------------------------ WordprocessingML

def run(text, size=18, bold=False):
    b = "<w:b/>" if bold else ""
    return (f'<w:r><w:rPr><w:rFonts w:ascii="Noto Serif CJK SC" w:hAnsi="Noto Serif CJK SC" w:eastAsia="Noto Serif CJK SC"/>{b}'
            f'<w:sz w:val="{size}"/></w:rPr><w:t xml:space="preserve">{esc(text)}</w:t></w:r>')


def para(text, size=24, bold=False, center=False, indent=True):
    jc = '<w:jc w:val="center"/>' if center else ""
    ind = '<w:ind w:firstLine="480"/>' if indent and not center else ""
    return f'<w:p><w:pPr><w:spacing w:after="60"/>{jc}{ind}</w:pPr>{run(text, size, bold)}</w:p>'


def cell(text, width, span=1, vmerge=None, valign="center", align="center", size=18):
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    props += f'<w:vAlign w:val="{valign}"/>'
    content = run(text, size) if text and vmerge != "continue" else ""
    return f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>{content}</w:p></w:tc>'


def table(grid, rows, header_rows=0, repeat=True):
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
           '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{w}"/>' for w in grid]
    out.append("</w:tblGrid>")
    for k, cells in enumerate(rows):
        head = "<w:tblHeader/>" if k < header_rows and repeat else ""
        out.append(f'<w:tr><w:trPr>{head}</w:trPr>{"".join(cells)}</w:tr>')
    out.append("</w:tbl>")
    return "".join(out)


T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", None, None),
    ("二、上年结转政府信息公开申请数量", None, None),
    ("三、本年度办理结果", "（一）予以公开", None),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    (None, "（三）不予公开", "1.属于国家秘密"),
    (None, None, "2.其他法律行政法规禁止公开"),
    (None, None, "3.危及“三安全一稳定”"),
    (None, None, "4.保护第三方合法权益"),
    (None, None, "5.属于三类内部事务信息"),
    (None, None, "6.属于四类过程性信息"),
    (None, None, "7.属于行政执法案卷"),
    (None, None, "8.属于行政查询事项"),
    (None, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    (None, None, "2.没有现成信息需要另行制作"),
    (None, None, "3.补正后申请内容仍不明确"),
    (None, "（五）不予处理", "1.信访举报投诉类申请"),
    (None, None, "2.重复申请"),
    (None, None, "3.要求提供公开出版物"),
    (None, None, "4.无正当理由大量反复申请"),
    (None, None, "5.要求行政机关确认或重新出具已获取信息"),
    (None, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, None, "3.其他"),
    (None, "（七）总计", None),
    ("四、结转下年度继续办理", None, None),
]

ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def table2(t2, valign):
    grid = [2300, 2000, 2000, 2000]
    rows = []
    items = ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    for item, block in zip(items, t2):
        rows.append([cell(item, sum(grid), span=4, valign=valign)])
        header = block["header"]
        if len(header) == 1:
            rows.append([cell("信息内容", grid[0], valign=valign), cell(header[0], sum(grid[1:]), span=3, valign=valign)])
        else:
            rows.append([cell("信息内容", grid[0], valign=valign)] + [cell(h, grid[1 + j], valign=valign) for j, h in enumerate(header)])
        for r in block["rows"]:
            if len(header) == 1:
                rows.append([cell(r[0], grid[0], valign=valign), cell(r[1], sum(grid[1:]), span=3, valign=valign)])
            else:
                rows.append([cell(r[0], grid[0], valign=valign)] + [cell(v, grid[1 + j], valign=valign) for j, v in enumerate(r[1:])])
    return table(grid, rows)


def table3(t3, valign, repeat, labels=None, collapse_other=False):
    labels = labels or {}
    grid = [420, 1150, 2330] + [640] * 7
    label_w = sum(grid[:3])
    rows = [
        [cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", label_w, span=3, vmerge="restart", valign=valign),
         cell("申请人情况", 640 * 7, span=7, valign=valign)],
        [cell("", label_w, span=3, vmerge="continue"), cell("自然人", 640, vmerge="restart", valign=valign),
         cell("法人或其他组织", 640 * 5, span=5, valign=valign), cell("总计", 640, vmerge="restart", valign=valign)],
        [cell("", label_w, span=3, vmerge="continue"), cell("", 640, vmerge="continue")]
        + [cell(o, 640, valign=valign) for o in ORGS] + [cell("", 640, vmerge="continue")],
    ]
    figs = list(t3)
    plan = list(T3_ROWS)
    if collapse_other:
        # The 2019 layout: one （六）其他处理 row, its figure the three 2021 rows' sum.
        k = next(i for i, r in enumerate(plan) if r[1] == "（六）其他处理")
        summed = []
        for j in range(7):
            vals = [figs[k + d][j] for d in range(3)]
            summed.append(str(sum(int(v) for v in vals)) if all(v.strip() for v in vals) else "")
        plan[k:k + 3] = [(None, "（六）其他处理", None)]
        figs[k:k + 3] = [summed]
    for k, (top, mid, leaf) in enumerate(plan):
        values = [cell(v, 640, valign=valign, align="right" if valign == "center" else "center") for v in figs[k]]
        row = []
        first_result = top == "三、本年度办理结果"
        if top and not first_result:
            row.append(cell(labels.get(top, top), label_w, span=3, valign=valign, align="left"))
        else:
            row.append(cell("三、本年度办理结果" if first_result else "", grid[0], vmerge="restart" if first_result else "continue", valign=valign))
            if mid and leaf:
                row.append(cell(labels.get(mid, mid), grid[1], vmerge="restart", valign=valign, align="left"))
                row.append(cell(labels.get(leaf, leaf), grid[2], valign=valign, align="left"))
            elif mid:
                row.append(cell(labels.get(mid, mid), grid[1] + grid[2], span=2, valign=valign, align="left"))
            else:
                row.append(cell("", grid[1], vmerge="continue"))
                row.append(cell(labels.get(leaf, leaf), grid[2], valign=valign, align="left"))
        rows.append(row + values)
    return table(grid, rows, header_rows=3, repeat=repeat)


def table4(t4, valign, dash=False):
    grid = [553] * 15
    values = ["—" if dash else v for v in t4]
    rows = [
        [cell("行政复议", 553 * 5, span=5, valign=valign), cell("行政诉讼", 553 * 10, span=10, valign=valign)],
        [cell(o, 553, vmerge="restart", valign=valign) for o in OUTCOMES]
        + [cell("未经复议直接起诉", 553 * 5, span=5, valign=valign), cell("复议后起诉", 553 * 5, span=5, valign=valign)],
        [cell("", 553, vmerge="continue") for _ in OUTCOMES] + [cell(o, 553, valign=valign) for o in OUTCOMES * 2],
        [cell(v, 553, valign=valign) for v in values],
    ]
    return table(grid, rows, header_rows=3)


LONG = [
    "（一）主动公开。围绕群众关切，及时公开政策文件、规划计划、财政预决算、重大项目和民生实事等信息，"
    "做好政策解读，通过图文、问答等形式解读重要政策，回应社会关切。",
    "（二）依申请公开。畅通申请渠道，规范受理、登记、办理、答复、归档各环节，严格按照法定时限答复，"
    "对申请内容不明确的及时告知补正，对不予公开的说明理由和依据。",
    "（三）政府信息管理。健全公开前审查机制，对拟公开信息进行保密审查和合法性审查，定期评估清理已公开信息，"
    "及时更新失效和废止的文件。",
    "（四）平台建设。优化政府网站信息公开专栏，规范栏目设置，加强政务新媒体管理，提高信息发布的及时性和准确性。",
    "（五）监督保障。将政务公开纳入年度考核，开展业务培训，组织自查整改，接受社会评议和监督。",
]


CN = "零一二三四五六七八九"


def chinese(n):
    """0–99 in Chinese numerals, as reports write small counts."""
    n = int(n)
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + ("" if ones == 0 else CN[ones])


def report(name, t2, t3, t4, *, valign="center", repeat=True, labels=None, collapse_other=False, dash=False, head=True, long=False,
           wrong=False):
    body = [para(f"阳泉市{name}2022年政府信息公开工作年度报告", 32, True, True)]
    body.append(para(f"本报告由{name}政府信息公开工作机构根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2022年1月1日起至2022年12月31日止。"))
    body.append(para("一、总体情况", 24, True, indent=False))
    for s in ("2022年，我单位坚持以公开为常态、不公开为例外，围绕中心工作推进决策、执行、管理、服务、结果公开，"
              "持续加强政策解读和回应关切，政府信息公开工作取得新的进展。",
              "在主动公开方面，依托政府网站和政务新媒体及时发布各类信息；在依申请公开方面，严格按照法定时限和程序答复；"
              "在政府信息管理方面，定期对已公开信息进行清理；在平台建设方面，持续优化栏目设置。"):
        body.append(para(s))
    if long:
        for k in range(6):
            body += [para(s) for s in LONG]
    # The figures the text states, as reports word them (a small count in Chinese numerals).
    total = lambda row: t3[row][6]
    new = "17" if wrong else total(0)
    body.append(para(f"全年共受理政府信息公开申请{new}件，上年结转{total(1)}件，办结{total(23)}件，结转下年度继续办理{total(24)}件。"))
    lit = int(t4[9] or 0) + int(t4[14] or 0)
    body.append(para(f"因政府信息公开被申请行政复议{chinese(t4[4] or 0)}件，被提起行政诉讼{lit}件。"))
    body.append(para("二、主动公开政府信息情况", 24, True, indent=False))
    body.append(table2(t2, valign))
    body.append(para("三、收到和处理政府信息公开申请情况", 24, True, indent=False))
    body.append(table3(t3, valign, repeat, labels, collapse_other))
    body.append(para("四、政府信息公开行政复议、行政诉讼情况", 24, True, indent=False))
    body.append(table4(t4, valign, dash))
    body.append(para("填表人：李某某        审核人：王某某        联系电话：0353-2021234", 21, indent=False))
    if not wrong:
        body.append(para("五、存在的主要问题及改进情况", 24, True, indent=False))
        body.append(para("一是公开内容的规范性有待加强，二是依申请公开办理质量有待提高。下一步将加强业务培训，完善工作机制。"))
    if long:
        for k in range(6):
            body += [para(s) for s in LONG]
    body.append(para("六、其他需要报告的事项", 24, True, indent=False))
    body.append(para("本年度没有收取任何费用。" if wrong else "本年度未收取信息处理费。"))
    header_ref = '<w:headerReference w:type="default" r:id="rId2"/>' if head else ""
    sect = (f'<w:sectPr>{header_ref}<w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/>'
            '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{"".join(body)}{sect}</w:body></w:document>'


def docx(path, document, running_head):
    footer = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W}><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
              f'{run("- ", 18)}<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
              f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run("1", 18)}<w:r><w:fldChar w:fldCharType="end"/></w:r>{run(" -", 18)}</w:p></w:ftr>')
    header = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {W}><w:p><w:pPr><w:jc w:val="right"/></w:pPr>{run(running_head, 18)}</w:p></w:hdr>'
    parts = [
        ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
         '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
         '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>'),
        ("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        ("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
         '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>'),
        ("word/document.xml", document),
        ("word/header1.xml", header),
        ("word/footer1.xml", footer),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(zipfile.ZipInfo(name, STAMP), data.encode("utf-8"))


def export(doc_path, pdf_path, options=None):
    """LibreOffice's PDF export of a Word document, into pdf_path."""
    work = os.path.dirname(doc_path)
    target = "pdf" if options is None else "pdf:writer_pdf_Export:" + options
    subprocess.run(["soffice", "--headless", "-env:UserInstallation=file://" + os.path.join(work, "profile"),
                    "--convert-to", target, "--outdir", work, doc_path], check=True, capture_output=True)
    made = os.path.splitext(doc_path)[0] + ".pdf"
    os.makedirs(os.path.dirname(pdf_path), exist_ok=True)
    shutil.move(made, pdf_path)


def scanned_pdf(path):
    """Two pages, each one grey picture and no text: what a scanner makes."""
    w, h = 60, 80
    pixels = zlib.compress(bytes([200]) * (w * h))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>"]
    for page in range(2):
        pid = len(objects) + 1
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 {pid + 2} 0 R >> >> /Contents {pid + 1} 0 R >>")
        stream = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        objects.append((f"<< /Length {len(stream)} >>", stream))
        objects.append((f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>", pixels))
    # Page 1 is objects 3-5, page 2 objects 6-8: fix the kids.
    objects[1] = "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        if isinstance(obj, tuple):
            out += f"{n} 0 obj\n{obj[0]}\nstream\n".encode() + obj[1] + b"\nendstream\nendobj\n"
        else:
            out += f"{n} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    open(path, "wb").write(bytes(out))


VARIANT_LABELS = {
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "1、申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "2、申请人逾期未按收费通知要求缴纳费用,行政机关不再处理其政府信息公开申请",
    "3.其他": "3、其他",
    "2.其他法律行政法规禁止公开": "2.其他法律行政止公开",
    "1.属于国家秘密": "１．属于国家秘密",
    "3.危及“三安全一稳定”": "3.危及\"三安全一稳定\"",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开(区分处理的,只计这一情形,不计其他情形)",
    "1.本机关不掌握相关政府信息": "（1）本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作": "（2）没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确": "（3）补正后申请内容仍不明确",
}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    tmp = tempfile.mkdtemp()
    bodies = [
        ("2022", "城区", "城区人民政府", {}),
        ("2022", "郊区", "郊区人民政府", {"valign": "top", "repeat": False, "labels": VARIANT_LABELS, "head": False}),
        ("2022", "市教育局", "市教育局", {"dash": True}),
        ("2022", "市政府办公厅", "市人民政府办公室", {"collapse_other": True}),
        ("2022-undivided", "城区", "城区人民政府", {"collapse_other": True}),
        ("2022-long", "城区", "城区人民政府", {"long": True}),
        ("2022-narrative", "城区", "城区人民政府", {"wrong": True}),
    ]
    for out, folder, name, options in bodies:
        t2, t3, t4 = figures(os.path.join(HERE, "2022", folder))
        doc = os.path.join(tmp, folder + ".docx")
        docx(doc, report(name, t2, t3, t4, **options), f"阳泉市{name}2022年政府信息公开工作年度报告")
        export(doc, os.path.join(OUT, out, folder, f"{name}2022年政府信息公开工作年度报告.pdf"))
        if out == "2022" and folder == "城区":
            shutil.copy(doc, os.path.join(tmp, "城区-plain.docx"))
        if out == "2022-narrative":
            # The same report as the Word document it was exported from.
            os.makedirs(os.path.join(OUT, out + "-docx", folder), exist_ok=True)
            shutil.copy(doc, os.path.join(OUT, out + "-docx", folder, f"{name}2022年政府信息公开工作年度报告.docx"))
    hostile = os.path.join(OUT, "hostile")
    os.makedirs(hostile, exist_ok=True)
    scanned_pdf(os.path.join(hostile, "扫描件.pdf"))
    doc = os.path.join(tmp, "加密.docx")
    shutil.copy(os.path.join(tmp, "城区-plain.docx"), doc)
    export(doc, os.path.join(hostile, "加密.pdf"),
           '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"2022"}}')
    whole = open(os.path.join(OUT, "2022", "城区", "城区人民政府2022年政府信息公开工作年度报告.pdf"), "rb").read()
    open(os.path.join(hostile, "截断.pdf"), "wb").write(whole[: len(whole) // 2])
    open(os.path.join(hostile, "损坏.pdf"), "wb").write(b"%PDF-1.6\n" + bytes((k * 37 + 11) % 256 for k in range(4000)) + b"\n%%EOF\n")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
