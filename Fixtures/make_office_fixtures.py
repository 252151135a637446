#!/usr/bin/env python3
"""Writes Fixtures/office/ and Fixtures/hostile/ from the CSV fixtures: the same figures as
bodies send them from their office software, so that a workbook, a Word report or a saved page
must consolidate to exactly what the CSV it replaces gives.

office/2016/市统计局/2016年统计数据.xlsx  its table and its CMS item list on two sheets (dates as
    date serials with a date style, a hidden notes sheet, a hidden row, shared and inline strings)
office/2022/城区/2022年报统计表.xlsx     the national template, merged headers (mergeCells)
office/2022/郊区/2022年政府信息公开工作年度报告.docx  the published report in Word: narrative,
    a picture, the three tables with gridSpan/vMerge, labels split over runs, a soft hyphen
office/2022/市政府办公厅/2022年度报告.htm        the report page saved from Word as "网页", GB2312,
    MsoNormalTable, <o:p>, &nbsp;, conditional comments, numbers inside spans, colspan/rowspan
hostile/…                                 zip bomb, a bomb whose header lies, external relationship, 2 GB declared entry,
    truncated zip, renamed .xls, password-protected workbook, WPS .et, a report whose table is a picture,
    sheets with a cell past column XFD, a row number past any integer, a missing shared string, and
    one cell in column XFD on each of 400 rows, a page and a Word table whose spans multiply to
    millions of cells

Deterministic: every zip entry has a fixed time; rerunning rewrites identical bytes."""
import csv, datetime, io, os, struct, zipfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OFFICE, HOSTILE = os.path.join(HERE, "office"), os.path.join(HERE, "hostile")
STAMP = (2017, 1, 9, 10, 30, 0)


def read_csv(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            pass
    return [row for row in csv.reader(io.StringIO(text))]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def write_zip(path, parts, compress=zipfile.ZIP_DEFLATED):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = compress
            z.writestr(info, data if isinstance(data, bytes) else data.encode("utf-8"))


def numeric(s):
    try:
        float(s.replace(",", ""))
        return s.strip() != "" and not s.strip().startswith("0") or s.strip() in ("0",) or "." in s
    except ValueError:
        return False


# ---------------------------------------------------------------- xlsx

class Book:
    def __init__(self):
        self.strings, self.index, self.sheets = [], {}, []

    def s(self, text):
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def sheet(self, name, rows, hidden=False, merges=(), hidden_rows=(), dates=(), inline=False, drift=None):
        """rows: lists of cell texts, row 1 first; dates: (row, col) holding a yyyy-mm-dd date."""
        out = []
        for r, row in enumerate(rows, 1):
            attrs = ' hidden="1"' if r in hidden_rows else ""
            cells = []
            for c, text in enumerate(row, 1):
                if text == "":
                    continue
                ref = f"{col(c)}{r}"
                if (r, c) in dates:
                    d = datetime.date.fromisoformat(text)
                    serial = (d - datetime.date(1899, 12, 30)).days
                    cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                elif drift and (r, c) in drift:
                    cells.append(f'<c r="{ref}" s="2"><v>{drift[(r, c)]}</v></c>')
                elif text.lstrip("-").replace(".", "", 1).isdigit() and not (len(text) > 1 and text.startswith("0") and "." not in text):
                    cells.append(f'<c r="{ref}"><v>{text}</v></c>')
                elif inline:
                    cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(text)}</t></is></c>')
                else:
                    cells.append(f'<c r="{ref}" t="s"><v>{self.s(text)}</v></c>')
            out.append(f'<row r="{r}"{attrs}>' + "".join(cells) + "</row>")
        merge = ""
        if merges:
            merge = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<sheetData>' + "".join(out) + "</sheetData>" + merge + "</worksheet>")
        self.sheets.append((name, xml, hidden))

    def save(self, path, external=None):
        hidden = ' state="hidden"'
        sheets = "".join(f'<sheet name="{esc(n)}" sheetId="{i}"{hidden if h else ""} r:id="rId{i}"/>'
                         for i, (n, _, h) in enumerate(self.sheets, 1))
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(self.sheets) + 1))
        n = len(self.sheets)
        rels += f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        rels += f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        if external:
            rels += f'<Relationship Id="rId{n + 3}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="{esc(external)}" TargetMode="External"/>'
        ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        parts = [
            ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
             + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
             + '</Types>'),
            ("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
            ("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             f'<workbookPr/><sheets>{sheets}</sheets></workbook>'),
            ("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + "</Relationships>"),
            ("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {ns}>'
             '<numFmts count="1"><numFmt numFmtId="176" formatCode="0.00_ "/></numFmts>'
             '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>'),
            ("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {ns} count="{len(self.strings)}" uniqueCount="{len(self.strings)}">'
             + "".join(f'<si><t xml:space="preserve">{esc(t)}</t></si>' if i % 7 else
                       # every seventh string as Excel writes rich text: runs, and a phonetic guide that is not text
                       f'<si><r><t xml:space="preserve">{esc(t[:len(t) // 2])}</t></r><r><rPr><b/></rPr><t xml:space="preserve">{esc(t[len(t) // 2:])}</t></r><rPh sb="0" eb="1"><t>ﾌﾘｶﾞﾅ</t></rPh></si>'
                       for i, t in enumerate(self.strings)) + "</sst>"),
        ] + [(f"xl/worksheets/sheet{i}.xml", xml) for i, (_, xml, _) in enumerate(self.sheets, 1)]
        write_zip(path, parts)


def merges_for(rows, header_rows):
    """mergeCells a template would have: in header rows a text followed by blanks spans them."""
    out = []
    for r in header_rows:
        row = rows[r - 1]
        c = 0
        while c < len(row):
            if row[c] and c + 1 < len(row) and row[c + 1] == "":
                end = c + 1
                while end + 1 < len(row) and row[end + 1] == "":
                    end += 1
                out.append(f"{col(c + 1)}{r}:{col(end + 1)}{r}")
                c = end + 1
            else:
                c += 1
    return out


def sx_workbook():
    table = read_csv(os.path.join(HERE, "2016", "市统计局", "统计表.csv"))
    items = read_csv(os.path.join(HERE, "2016", "市统计局", "目录.csv"))
    book = Book()
    # A notes row the clerk hid: its text is no figure.
    table_rows = [table[0], ["内部备注：本表经局长审核"]] + table[1:]
    book.sheet("统计表", table_rows, hidden_rows=(2,), merges=[f"A1:D1"])
    date_col = items[0].index("发布日期") + 1
    dates = {(r, date_col) for r in range(2, len(items) + 1) if len(items[r - 1]) >= date_col and len(items[r - 1][date_col - 1]) == 10}
    book.sheet("公开目录", items, dates=dates, inline=True)
    book.sheet("填表说明", [["本工作簿由统计局信息中心填报"], ["请勿修改"]], hidden=True)
    book.save(os.path.join(OFFICE, "2016", "市统计局", "2016年统计数据.xlsx"))


def national_sections(rows):
    """The template's rows cut into its parts: (title row, rows) per part, blank rows dropped."""
    parts, current = [], None
    for row in rows:
        cells = [c.strip() for c in row]
        texts = [c for c in cells if c]
        if not texts:
            continue
        if len(texts) == 1 and texts[0][:2] in ("二、", "三、", "四、"):
            current = (texts[0], [])
            parts.append(current)
        elif current is None:
            parts.append((texts[0], []))
        else:
            current[1].append(row)
    return parts


def national_workbook():
    rows = read_csv(os.path.join(HERE, "2022", "城区", "2022年报统计表.csv"))
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_rows = [i + 1 for i, r in enumerate(rows) if any(c in ("申请人情况", "自然人", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "信息内容") for c in r)]
    merges = merges_for(rows, header_rows)
    drift = {}
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v == "1.50":
                drift[(r, c)] = "1.4999999999999998"
    book = Book()
    book.sheet("年报统计表", rows, merges=merges, drift=drift)
    book.save(os.path.join(OFFICE, "2022", "城区", "2022年报统计表.xlsx"))


# ---------------------------------------------------------------- docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'


def para(text, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r></w:p>'


def runs(text):
    """A cell's text as Word splits it: runs at arbitrary points, a soft hyphen in a long word."""
    if len(text) >= 6 and not text.replace(".", "").isdigit():
        a, b = text[:len(text) // 2], text[len(text) // 2:]
        return (f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>{esc(a)}</w:t></w:r>'
                f'<w:r><w:softHyphen/></w:r><w:r><w:t>{esc(b)}</w:t></w:r>')
    return f'<w:r><w:t>{esc(text)}</w:t></w:r>'


def table_xml(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ['<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>'
           + "".join('<w:gridCol w:w="1200"/>' for _ in range(width)) + "</w:tblGrid>"]
    for r, row in enumerate(rows):
        cells, c = [], 0
        header = any(x in ("申请人情况", "自然人", "法人或其他组织", "行政复议", "行政诉讼", "信息内容", "未经复议直接起诉", "复议后起诉") for x in row)
        while c < width:
            text = row[c].strip()
            span = 1
            if header and text:
                while c + span < width and row[c + span].strip() == "":
                    span += 1
            props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            # A row label left blank under one above: merged down (vMerge), as the template draws it.
            if not text and c < 3 and r > 0 and not header and any(v.strip() for v in row[c + 1:]):
                props += '<w:vMerge/>'
            elif text and c < 3 and not header and r + 1 < len(rows) and not rows[r + 1][c].strip():
                props += '<w:vMerge w:val="restart"/>'
            cells.append(f'<w:tc><w:tcPr>{props}</w:tcPr><w:p>{runs(text) if text else ""}</w:p></w:tc>')
            c += span
        out.append("<w:tr>" + "".join(cells) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def docx(path, body, rels_extra=""):
    doc = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    parts = [
        ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        ("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        ("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>' + rels_extra + '</Relationships>'),
        ("word/document.xml", doc),
        ("word/media/image1.png", png(40, 20)),
    ]
    write_zip(path, parts)


def picture():
    return ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="3600000" cy="1800000"/><wp:docPr id="1" name="图片 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill>'
            '<a:blip r:embed="rId5"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def png(w, h):
    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def national_docx():
    rows = read_csv(os.path.join(HERE, "2022", "郊区", "2022年报统计表.csv"))
    body = [para("阳泉市郊区人民政府2022年政府信息公开工作年度报告", "Title"),
            para("本报告由郊区人民政府办公室根据《中华人民共和国政府信息公开条例》编制。所列数据的统计期限自2022年1月1日起至2022年12月31日止。"),
            para("一、总体情况", "Heading1"),
            para("2022年，郊区坚持以公开为常态、不公开为例外，下图为全年公开工作概况。"),
            picture()]
    for title, part in national_sections(rows):
        if title[:2] not in ("二、", "三、", "四、"):
            continue
        body.append(para(title, "Heading1"))
        # Table 2 arrives as one table; its 第二十条 rows are rows of it.
        body.append(table_xml(part))
        body.append(para("（以上数据来源于郊区政务公开工作台账。）\t制表：郊区政府办"))
    body.append(para("五、政府信息公开工作存在的主要问题及改进情况", "Heading1"))
    body.append(para("一是公开内容的规范性有待加强；二是依申请公开办理质量有待提高。"))
    docx(os.path.join(OFFICE, "2022", "郊区", "2022年政府信息公开工作年度报告.docx"), "".join(body))


# ---------------------------------------------------------------- saved web page

def national_html():
    rows = read_csv(os.path.join(HERE, "2022", "市政府办公厅", "2022年报统计表.csv"))
    out = ['<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">',
           '<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><meta name=Generator content="Microsoft Word 15 (filtered)">',
           '<title>阳泉市人民政府办公室2022年政府信息公开工作年度报告</title>',
           '<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->',
           '<style><!-- p.MsoNormal {margin:0cm; font-size:10.5pt; font-family:等线;} td {border:solid 1px} --></style>',
           '<script>var 总计 = 999; document.title = "行政许可 208";</script></head>',
           '<body lang=ZH-CN style="tab-interval:21.0pt"><div class=WordSection1>',
           '<p class=MsoNormal align=center><b><span style="font-size:16pt">阳泉市人民政府办公室2022年政府信息公开工作年度报告<o:p></o:p></span></b></p>',
           '<p class=MsoNormal>一、总体情况<o:p></o:p></p><p class=MsoNormal>2022年，市政府办公室政务公开工作稳步推进。<!-- 内部注释：行政处罚 1000 --></p>']
    for title, part in national_sections(rows):
        if title[:2] not in ("二、", "三、", "四、"):
            continue
        out.append(f'<p class=MsoNormal><b><span lang=EN-US>{esc(title)}</span></b><o:p></o:p></p>')
        width = max(len(r) for r in part)
        part = [r + [""] * (width - len(r)) for r in part]
        out.append('<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style="border-collapse:collapse">')
        # Row labels written once and spanned down (rowspan), header texts spanned right (colspan).
        covered = set()
        for r, row in enumerate(part):
            header = any(x in ("申请人情况", "自然人", "法人或其他组织", "行政复议", "行政诉讼", "信息内容", "未经复议直接起诉", "复议后起诉") for x in row)
            cells = []
            c = 0
            while c < width:
                if (r, c) in covered:
                    c += 1
                    continue
                text = row[c].strip()
                attrs = ""
                span = 1
                if header and text:
                    while c + span < width and part[r][c + span].strip() == "":
                        span += 1
                    if span > 1:
                        attrs += f" colspan={span}"
                elif text and c < 3 and not header:
                    down = 1
                    while r + down < len(part) and not part[r + down][c].strip() and any(v.strip() for v in part[r + down][c + 1:]) \
                            and not any(x in ("申请人情况", "行政复议", "信息内容") for x in part[r + down]):
                        down += 1
                    if down > 1:
                        attrs += f" rowspan={down}"
                        for k in range(1, down):
                            covered.add((r + k, c))
                if not text:
                    inner = "<p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p>"
                elif text.replace(".", "").isdigit():
                    inner = f'<p class=MsoNormal align=center><span lang=EN-US style="font-size:9pt">{text}</span><span lang=EN-US><o:p></o:p></span></p>'
                else:
                    inner = f"<p class=MsoNormal><span style='font-family:仿宋'>{esc(text)}</span><o:p></o:p></p>"
                cells.append(f"<td{attrs} valign=top style='border:solid windowtext 1.0pt'>{inner}</td>")
                c += span
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table><p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    out.append("<![if !supportLists]><p class=MsoNormal>五、存在的主要问题及改进情况<o:p></o:p></p><![endif]>")
    out.append("</div></body></html>")
    path = os.path.join(OFFICE, "2022", "市政府办公厅", "2022年度报告.htm")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write("\r\n".join(out).encode("gb2312"))
    # "网页，全部" saves its pictures and styles beside it: nothing there is a submission.
    files = os.path.join(OFFICE, "2022", "市政府办公厅", "2022年度报告.files")
    os.makedirs(files, exist_ok=True)
    open(os.path.join(files, "filelist.xml"), "wb").write(b'<xml xmlns:o="urn:schemas-microsoft-com:office:office"><o:MainFile HRef="../2022\xc4\xea\xb6\xc8\xb1\xa8\xb8\xe6.htm"/></xml>\r\n')
    open(os.path.join(files, "image001.png"), "wb").write(png(8, 8))


# ---------------------------------------------------------------- hostile

def hostile():
    os.makedirs(HOSTILE, exist_ok=True)
    small = Book()
    small.sheet("统计表", [["统计指标", "单位", "统计数"], ["收到申请数", "件", "3"]])
    # A zip bomb: one sheet of 300 MB of zeros, a few hundred KB compressed.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w") as z:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as f:
            block = b"0" * (1 << 20)
            for _ in range(150):
                f.write(block)
        for name in ("[Content_Types].xml", "xl/workbook.xml"):
            z.writestr(zipfile.ZipInfo(name, STAMP), "<x/>")
    open(os.path.join(HOSTILE, "炸弹.xlsx"), "wb").write(bomb.getvalue())
    # A bomb that lies: its sheet declares 4 KB and inflates to 50 MB.
    small.save(os.path.join(HOSTILE, "_liar.xlsx"))
    liar = io.BytesIO()
    with zipfile.ZipFile(os.path.join(HOSTILE, "_liar.xlsx")) as src, zipfile.ZipFile(liar, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b" " * (50 << 20) + b"</worksheet>"
            out = zipfile.ZipInfo(info.filename, STAMP)
            out.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(out, data)
    os.remove(os.path.join(HOSTILE, "_liar.xlsx"))
    data = bytearray(liar.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while True:
        at = data.find(b"PK\x03\x04", at)
        if data[at + 30:at + 30 + len(name)] == name:
            struct.pack_into("<I", data, at + 22, 4096)
            break
        at += 4
    at = data.find(b"PK\x01\x02" + b"", 0)
    while True:
        if data[at + 46:at + 46 + len(name)] == name:
            struct.pack_into("<I", data, at + 24, 4096)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    open(os.path.join(HOSTILE, "伪造大小.xlsx"), "wb").write(bytes(data))
    # A workbook whose data links to another workbook on a server.
    linked = Book()
    linked.sheet("统计表", [["统计指标", "单位", "统计数"], ["收到申请数", "件", "3"], ["当面申请数", "件", "3"]])
    linked.save(os.path.join(HOSTILE, "外部链接.xlsx"), external="file://///fileserver/共享/汇总.xlsx")
    # A central directory that declares a 2 GB entry (the data itself is small).
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as z:
        for name in ("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, "<x/>" * 10)
    data = bytearray(good.getvalue())
    at = data.rfind(b"PK\x01\x02")  # the last central directory record: sheet1.xml
    struct.pack_into("<I", data, at + 24, 2 << 30)
    open(os.path.join(HOSTILE, "声明2GB.xlsx"), "wb").write(bytes(data))
    # Cut off in transfer: the first half of a real workbook.
    small.save(os.path.join(HOSTILE, "_small.xlsx"))
    whole = open(os.path.join(HOSTILE, "_small.xlsx"), "rb").read()
    os.remove(os.path.join(HOSTILE, "_small.xlsx"))
    open(os.path.join(HOSTILE, "截断.xlsx"), "wb").write(whole[:len(whole) // 2])
    # Compound (OLE) files: an old .xls renamed .xlsx, a password-protected workbook, a WPS .et.
    def ole(streams):
        header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00" + b"\x00" * 470
        names = b"".join(s.encode("utf-16-le") + b"\x00\x00" + b"\x00" * (64 - 2 * len(s) - 2) + b"\x00" * 64 for s in streams)
        return header + names + b"\x00" * 512
    open(os.path.join(HOSTILE, "旧格式.xlsx"), "wb").write(ole(["Root Entry", "Workbook"]))
    open(os.path.join(HOSTILE, "加密.xlsx"), "wb").write(ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    open(os.path.join(HOSTILE, "统计表.et"), "wb").write(ole(["Root Entry", "Workbook", "WpsCustomData"]))
    # Sheets no spreadsheet writes, each a few bytes from a real one: a cell reference past the
    # last column (XFD), a row number past any integer, a shared string that does not exist, and a
    # cell in column XFD on each of 400 rows (6.5 million cells with the blanks before them).
    def sheet(rows):
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                + rows + "</sheetData></worksheet>").encode()
    def text(ref, value):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    head = '<row r="1">' + text("A1", "统计指标") + text("B1", "单位") + text("C1", "统计数") + "</row>"
    damaged = {
        "越界单元格.xlsx": head + '<row r="2">' + text("A2", "收到申请数") + text("B2", "件") + text("AAAAAAAAAAAAAAAAAAAA2", "3") + "</row>",
        "行号溢出.xlsx": head + '<row r="9223372036854775807">' + text("A2", "收到申请数") + "</row>",
        "缺共享字符串.xlsx": head + '<row r="2"><c r="A2" t="s"><v>-1</v></c>' + text("C2", "3") + "</row>",
        "稀疏巨表.xlsx": head + "".join(f'<row r="{k}">' + text(f"XFD{k}", "3") + "</row>" for k in range(2, 402)),
    }
    small.save(os.path.join(HOSTILE, "_small.xlsx"))
    for target, rows in damaged.items():
        with zipfile.ZipFile(os.path.join(HOSTILE, "_small.xlsx")) as src, zipfile.ZipFile(os.path.join(HOSTILE, target), "w") as z:
            for info in src.infolist():
                out = zipfile.ZipInfo(info.filename, STAMP)
                out.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(out, sheet(rows) if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename))
    os.remove(os.path.join(HOSTILE, "_small.xlsx"))
    # A report whose table has a cell spanning two billion columns (a few bytes in the file).
    spanned = table_xml([["信息内容", "本年新制作数量"], ["规章", "1"]]).replace('<w:tcPr></w:tcPr><w:p>' + runs("规章"), '<w:tcPr><w:gridSpan w:val="2147483647"/></w:tcPr><w:p>' + runs("规章"), 1)
    docx(os.path.join(HOSTILE, "跨列无数.docx"), para("阳泉市某局2022年政府信息公开工作年度报告", "Title") + spanned)
    # Spans that multiply: a saved page whose one row has 5,000 cells spanning 1,000 columns each,
    # and a Word table of 70,000 cells spanning 63 columns each (a few kilobytes compressed).
    with open(os.path.join(HOSTILE, "合并巨表.htm"), "w", encoding="utf-8") as f:
        f.write('<html><head><meta charset="utf-8"></head><body><p>某局2022年政府信息公开工作年度报告</p><table><tr>'
                + '<td colspan="1000">1</td>' * 5000 + "</tr></table></body></html>")
    wide = ('<w:tbl><w:tr>' + "".join(f'<w:tc><w:tcPr><w:gridSpan w:val="63"/></w:tcPr><w:p>{runs(str(k * 7919 % 100003))}</w:p></w:tc>'
                                      for k in range(70000)) + "</w:tr></w:tbl>")
    docx(os.path.join(HOSTILE, "合并巨表.docx"), para("阳泉市某局2022年政府信息公开工作年度报告", "Title") + wide)
    # A report whose statistics table was pasted as a picture.
    docx(os.path.join(HOSTILE, "截图报告.docx"),
         para("阳泉市某局2022年政府信息公开工作年度报告", "Title") + para("二、主动公开政府信息情况", "Heading1") + picture())


if __name__ == "__main__":
    sx_workbook()
    national_workbook()
    national_docx()
    national_html()
    hostile()
