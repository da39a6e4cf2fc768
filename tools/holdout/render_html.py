"""HTML + CSS paged media, printed to PDF by headless Chromium (Skia).

Two passes: the first print finds the page of every heading, the second
prints the same HTML with those numbers in the table of contents.
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import tempfile
from pathlib import Path

from .model import GroupRow, Heading, ListBlock, PageBreak, Para, Signature, Table, TOC
from .spec import Spec

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# House styles: css plus a few switches the markup needs.
STYLES = {
    # Large-firm look: Arial-like, navy, numbered I-V, colour band cover.
    "ashford": dict(font="'Liberation Sans', Arial, sans-serif", size="10pt", accent="#14325c",
                    head_bg="#14325c", head_fg="#fff", group_bg="#dfe6f0", cover="band",
                    page_box=True, footer_left="{footer}", footer_right="Page {page} of {pages}",
                    header_left="{company}", header_right="{kind}", sec_fmt="Section {num}: {title}",
                    ligatures=False, toc_title="Table of Contents", margin="0.9in 0.85in 0.9in 0.85in"),
    # Boutique: serif, unruled whitespace tables, lettered sections, centred folio.
    "marrow": dict(font="Caladea, Cambria, serif", size="11pt", accent="#333", head_bg="transparent",
                   head_fg="#000", group_bg="transparent", cover="plain", page_box=True,
                   footer_left="", footer_center="– {page} –", header_right="{company} | {kind}",
                   sec_fmt="{num}. {title}", ligatures=True, toc_title="Contents",
                   margin="1in 1in 1in 1in"),
    # Web-to-PDF: fixed header/footer drawn inside the page area over a spacer, no page numbers.
    "brightline": dict(font="Carlito, Calibri, sans-serif", size="13pt", accent="#0b7a75",
                       head_bg="#0b7a75", head_fg="#fff", group_bg="#e3f2f1", cover="hero",
                       page_box=False, sec_fmt="{title}", ligatures=False, toc_title="What's inside",
                       margin="0.5in 0.7in 0.5in 0.7in"),
    # Second large-firm look: green accent, arabic numbering, landscape matrix.
    "thornbury": dict(font="'DejaVu Sans', Verdana, sans-serif", size="9pt", accent="#1f5e3b",
                      head_bg="#e8efe9", head_fg="#1f5e3b", group_bg="#f4f4f4", cover="band",
                      page_box=True, footer_left="{footer} | {firm}", footer_right="{page}",
                      header_left="{kind}", header_right="{company}", sec_fmt="{num}  {title}",
                      ligatures=False, toc_title="Contents", margin="0.8in 0.75in 0.8in 0.75in"),
    # Mid-tier, Times-like, uppercase lettered sections.
    "calder": dict(font="'Liberation Serif', 'Times New Roman', serif", size="11pt", accent="#5a1e1e",
                   head_bg="#d9d9d9", head_fg="#000", group_bg="#f0f0f0", cover="letter",
                   page_box=True, footer_left="{company}", footer_center="{page}",
                   footer_right="{footer}", header_right="", sec_fmt="SECTION {num} – {upper}",
                   ligatures=False, toc_title="TABLE OF CONTENTS", margin="1in 0.9in 1in 0.9in"),
}


def esc(t: str) -> str:
    return html.escape(t, quote=False).replace("\n", "<br>")


def cell_html(paras) -> str:
    out = []
    for p in paras:
        if isinstance(p, tuple):
            out.append(f"<p class='cid'>{esc(p[1])}</p>")
        else:
            out.append(f"<p>{esc(p)}</p>")
    return "".join(out)


class HtmlRenderer:
    def __init__(self, spec: Spec, blocks, meta):
        self.s, self.blocks, self.meta = spec, blocks, meta
        self.st = STYLES[spec.style]

    def heading_text(self, h: Heading) -> str:
        if h.level == 1:
            fmt = self.st["sec_fmt"] if h.num else "{title}"
            return fmt.format(num=h.num, title=h.text, upper=h.text.upper())
        return h.text

    def css(self) -> str:
        st, s, m = self.st, self.s, self.meta
        sub = dict(company=s.company, kind=m["kind"], firm=s.firm, footer=s.footer_text)

        def box(key, where):
            if key not in st or not st[key]:
                return ""
            txt = st[key].format(page="\" counter(page) \"", pages="\" counter(pages) \"", **sub)
            return f"@{where} {{ content: \"{txt}\"; font: 7.5pt {st['font']}; color: #555; }}"
        boxes = "".join([box("footer_left", "bottom-left"), box("footer_center", "bottom-center"),
                         box("footer_right", "bottom-right"), box("header_left", "top-left"),
                         box("header_right", "top-right")]) if st["page_box"] else ""
        ruled = self.s.ruled
        cell_border = "border: 0.6pt solid #777;" if ruled else "border: none;"
        return f"""
@page {{ size: letter; margin: {st['margin']}; {boxes} }}
@page cover {{ margin: 0; @top-left {{ content: none }} @top-right {{ content: none }} @bottom-left {{ content: none }} @bottom-center {{ content: none }} @bottom-right {{ content: none }} }}
@page wide {{ size: letter landscape; margin: 0.75in 0.7in; }}
* {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
html {{ font-family: {st['font']}; font-size: {st['size']}; line-height: 1.32; color: #111;
        font-variant-ligatures: {'normal' if st['ligatures'] else 'none'}; }}
body {{ margin: 0; }}
h1 {{ font-size: 1.55em; color: {st['accent']}; margin: 0 0 0.8em; font-weight: bold; }}
h2 {{ font-size: 1.2em; color: {st['accent']}; margin: 1.2em 0 0.4em; }}
h3 {{ font-size: 1.02em; margin: 1em 0 0.3em; }}
h1, h2, h3 {{ break-after: avoid; }}
p {{ margin: 0 0 0.6em; text-align: {'justify' if self.s.style in ('marrow', 'calder') else 'left'}; }}
.newpage {{ break-before: page; }}
.cover {{ page: cover; height: 11in; position: relative; break-after: page; }}
.toc {{ break-after: page; }}
.toc .row {{ display: flex; align-items: baseline; margin: 0.35em 0; }}
.toc .row.l2 {{ margin-left: 1.5em; font-size: 0.95em; }}
.toc .t {{ white-space: nowrap; padding-right: 4px; }}
.toc .d {{ flex: 1; overflow: hidden; white-space: nowrap; color: #555; }}
.toc .n {{ padding-left: 4px; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }}
th {{ background: {st['head_bg']}; color: {st['head_fg']}; text-align: left; vertical-align: bottom;
      font-weight: bold; padding: 4pt 5pt; {cell_border} {'' if ruled else 'border-bottom: 1.2pt solid #000;'} }}
td {{ vertical-align: top; padding: {'4pt 5pt' if ruled else '5pt 9pt 7pt 0'}; {cell_border} }}
td p {{ margin: 0 0 0.35em; text-align: left; }}
td p.cid {{ font-weight: bold; }}
tr.group td {{ background: {st['group_bg']}; font-weight: bold; padding-top: 6pt; }}
table.matrix {{ font-size: 0.92em; }}
table.matrix thead {{ display: table-header-group; }}
.wide {{ page: wide; }}
ul, ol {{ margin: 0.2em 0 0.8em; padding-left: 1.6em; }}
li {{ margin-bottom: 0.35em; }}
li p {{ margin: 0; }}
ol.csoc {{ list-style: none; padding-left: 0; }}
ol.csoc li::before {{ content: "CSOC " counter(list-item) ".  "; font-weight: bold; }}
.label {{ font-weight: bold; }}
.sig {{ margin-top: 1.5em; }}
.sig .script {{ font-family: 'DejaVu Serif'; font-style: italic; font-size: 1.5em; color: #1d3b8a; }}
.small {{ font-size: 0.85em; }}
.center {{ text-align: center; }}
.runhead {{ position: fixed; top: 0; left: 0; right: 0; font-size: 8pt; color: #0b7a75;
            border-bottom: 0.5pt solid #0b7a75; padding-bottom: 2pt; }}
.runfoot {{ position: fixed; bottom: 0; left: 0; right: 0; font-size: 8pt; color: #666; text-align: center; }}
table.frame {{ width: 100%; border: none; margin: 0; }}
table.frame > thead td, table.frame > tfoot td {{ height: 0.55in; border: none; padding: 0; }}
table.frame > tbody > tr > td {{ border: none; padding: 0; }}
"""

    def cover(self) -> str:
        st, s, m = self.st, self.s, self.meta
        lines = "".join(f"<div style='margin: 0.2em 0'>{esc(l)}</div>" for l in m["cover_lines"])
        if st["cover"] == "band":
            return (f"<div class='cover'><div style='background:{st['accent']};color:#fff;padding:2.6in 0.9in 0.6in'>"
                    f"<div style='font-size:28pt;font-weight:bold;line-height:1.1'>{esc(m['title'])}</div>"
                    f"<div style='font-size:13pt;margin-top:0.5em'>{esc(m['subtitle'])}</div></div>"
                    f"<div style='padding:0.6in 0.9in;font-size:12pt'>{lines}</div>"
                    f"<div style='position:absolute;bottom:0.8in;left:0.9in;font-size:9pt;color:#555'>{esc(s.footer_text)}<br>{esc(s.firm)}</div></div>")
        if st["cover"] == "hero":
            return (f"<div class='cover' style='background:linear-gradient(160deg,#0b7a75,#053b39);color:#fff'>"
                    f"<div style='padding:3in 0.9in 0'><div style='font-size:12pt;letter-spacing:0.2em'>{esc(s.company.upper())}</div>"
                    f"<div style='font-size:34pt;font-weight:bold;margin:0.3em 0'>{esc(m['title'])}</div>"
                    f"<div style='font-size:14pt'>{esc(m['subtitle'])}</div><div style='margin-top:2em;font-size:11pt'>{lines}</div></div></div>")
        if st["cover"] == "letter":
            return (f"<div class='cover' style='padding:1.2in 1in;box-sizing:border-box'>"
                    f"<div style='border-bottom:2pt solid {st['accent']};padding-bottom:6pt;font-size:16pt;color:{st['accent']}'>{esc(s.firm)}</div>"
                    f"<div style='margin-top:2.2in;text-align:center'><div style='font-size:20pt;font-weight:bold'>{esc(s.company)}</div>"
                    f"<div style='font-size:15pt;margin:0.6em 0'>{esc(m['title'])}</div><div style='font-size:12pt'>{esc(m['subtitle'])}</div>{lines}</div></div>")
        return (f"<div class='cover' style='padding:2.5in 1in 0;box-sizing:border-box;text-align:center'>"
                f"<div style='font-size:22pt'>{esc(s.company)}</div><div style='font-size:16pt;margin:1em 0'>{esc(m['title'])}</div>"
                f"<div>{esc(m['subtitle'])}</div>{lines}<div style='margin-top:3in;font-size:10pt'>Prepared by {esc(s.firm)}</div></div>")

    def toc(self, pages: dict | None) -> str:
        rows = []
        for i, b in enumerate(self.blocks):
            if isinstance(b, Heading) and b.toc:
                n = pages.get(i, "") if pages else "00"
                rows.append(f"<div class='row l{b.level}'><span class='t'>{esc(self.heading_text(b))}</span>"
                            f"<span class='d'>{'. ' * 150}</span><span class='n'>{n}</span></div>")
        return f"<div class='toc'><h1>{esc(self.st['toc_title'])}</h1>{''.join(rows)}</div>"

    def body(self, pages) -> str:
        out = []
        for i, b in enumerate(self.blocks):
            if isinstance(b, TOC):
                out.append(self.toc(pages))
            elif isinstance(b, Heading):
                tag = f"h{b.level}"
                cls = " class='newpage'" if b.new_page else ""
                out.append(f"<{tag}{cls} id='h{i}'>{esc(self.heading_text(b))}</{tag}>")
            elif isinstance(b, Para):
                out.append(f"<p class='{b.kind}'>{esc(b.text)}</p>")
            elif isinstance(b, ListBlock):
                tag = "ul" if b.marker in ("bullet", "dash") else "ol"
                cls = "csoc" if b.marker == "csoc" else ""
                items = "".join(f"<li>{cell_html(it)}</li>" for it in b.items)
                out.append(f"<{tag} class='{cls}' start='{b.start}'>{items}</{tag}>")
            elif isinstance(b, Table):
                head = "".join(f"<th style='width:{w * 100:.1f}%'>{esc(h)}</th>" for h, w in zip(b.head, b.widths))
                rows = []
                for r in b.rows:
                    if isinstance(r, GroupRow):
                        rows.append(f"<tr class='group'><td colspan='{len(b.head)}'>{esc(r.text)}</td></tr>")
                    else:
                        rows.append("<tr>" + "".join(f"<td>{cell_html(c)}</td>" for c in r) + "</tr>")
                t = f"<table class='{b.kind}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
                out.append(f"<div class='wide'>{t}</div>" if b.landscape else t)
            elif isinstance(b, PageBreak):
                out.append("<div class='newpage'></div>")
            elif isinstance(b, Signature):
                out.append(f"<div class='sig'><div class='script'>{esc(b.firm.split(',')[0])}</div>"
                           f"<div>{esc(b.firm)}</div><div>{esc(b.city)}</div><div>{esc(b.when)}</div></div>")
        return "".join(out)

    def document(self, pages) -> str:
        body = self.body(pages)
        if self.s.style == "brightline":
            s, m = self.s, self.meta
            body = (f"<div class='runhead'>{esc(s.company)} — {esc(m['kind'])}</div>"
                    f"<div class='runfoot'>{esc(s.footer_text)}</div>"
                    f"<table class='frame'><thead><tr><td></td></tr></thead><tfoot><tr><td></td></tr></tfoot>"
                    f"<tbody><tr><td>{body}</td></tr></tbody></table>")
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(self.meta['title'])} — {esc(self.s.company)}</title>"
                f"<style>{self.css()}</style></head><body>{self.cover()}{body}</body></html>")


def print_pdf(html_text: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "report.html"
        src.write_text(html_text, encoding="utf-8")
        pdf = Path(d) / "report.pdf"
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-pdf-tagging",
               f"--user-data-dir={d}/profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
               src.as_uri()]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        data = pdf.read_bytes()
    # Skia stamps the wall-clock time; a same-length constant keeps xref offsets valid.
    data = re.sub(rb"D:\d{14}", b"D:20250101000000", data)
    out.write_bytes(data)


def render(spec: Spec, blocks, meta, out: Path, heading_pages) -> None:
    """heading_pages(pdf_path, [(block index, heading text)]) -> {index: page}."""
    r = HtmlRenderer(spec, blocks, meta)
    pages = None
    if any(isinstance(b, TOC) for b in blocks):
        print_pdf(r.document(None), out)
        heads = [(i, r.heading_text(b)) for i, b in enumerate(blocks) if isinstance(b, Heading) and b.toc]
        pages = heading_pages(out, heads)
    print_pdf(r.document(pages), out)
