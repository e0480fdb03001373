"""A minimal Office Open XML workbook writer for gen-county.py (Python 3 stdlib only).

One sheet; cells are shared strings (str), numbers (Number: the literal written in <v>) or dates
(datetime.date: Excel serial days in the 1900 system, styled with the built-in format 14). Empty strings
are left out, as Excel does. Zip entries carry a fixed timestamp, so the same rows give the same bytes.
"""
import datetime as dt
import zipfile
from xml.sax.saxutils import escape, quoteattr

EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (serials after 1900-02-28 count Excel's 1900-02-29)
MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships'
CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml.'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class Number(str):
    """A numeric cell, written exactly as this text (e.g. '3.30122198001011E+17')."""


def excel_number(digits):
    """A long digit string as Excel keeps it in a numeric cell: 15 significant digits, 'E+17' form."""
    mantissa, exponent = f'{float(digits):.14E}'.split('E')
    return Number(f"{mantissa.rstrip('0').rstrip('.')}E{exponent}")


def column_letters(i):
    s = ''
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def text_element(s):
    space = ' xml:space="preserve"' if s != s.strip() or '  ' in s else ''
    return f'<t{space}>{escape(s)}</t>'


def sheet_xml(rows, strings):
    """The worksheet part and its number of string cells; fills `strings` (text -> index) as it goes."""
    letters = [column_letters(i) for i in range(max(len(r) for r in rows))]
    refs = 0
    out = [HEAD, f'<worksheet xmlns="{MAIN}"><dimension ref="A1:{letters[-1]}{len(rows)}"/><sheetData>']
    for n, row in enumerate(rows, 1):
        out.append(f'<row r="{n}">')
        for col, v in enumerate(row):
            ref = f'{letters[col]}{n}'
            if isinstance(v, Number):
                out.append(f'<c r="{ref}" t="n"><v>{v}</v></c>')
            elif isinstance(v, dt.date):
                out.append(f'<c r="{ref}" s="1"><v>{(v - EPOCH).days}</v></c>')
            elif v:
                refs += 1
                out.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(v, len(strings))}</v></c>')
        out.append('</row>')
    out.append('</sheetData></worksheet>')
    return ''.join(out), refs


def shared_strings_xml(strings, count):
    items = ''.join(f'<si>{text_element(s)}</si>' for s in strings)  # dicts keep insertion (= index) order
    return f'{HEAD}<sst xmlns="{MAIN}" count="{count}" uniqueCount="{len(strings)}">{items}</sst>'


STYLES = (f'{HEAD}<styleSheet xmlns="{MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill>'
          '<fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
          '</styleSheet>')


def package_parts(sheet_name):
    return {
        '[Content_Types].xml': (
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CT}sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{CT}styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}sharedStrings+xml"/></Types>'),
        '_rels/.rels': (
            f'{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        'xl/workbook.xml': (
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'),
        'xl/_rels/workbook.xml.rels': (
            f'{HEAD}<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        'xl/styles.xml': STYLES,
    }


def write_workbook(path, sheet_name, rows):
    """rows[0] is the header; every value is a str, a Number or a datetime.date."""
    strings = {}
    parts = package_parts(sheet_name)
    parts['xl/worksheets/sheet1.xml'], refs = sheet_xml(rows, strings)
    parts['xl/sharedStrings.xml'] = shared_strings_xml(strings, refs)
    with zipfile.ZipFile(path, 'w') as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, text.encode('utf-8'))
