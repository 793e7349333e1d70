"""Hostile and broken files for the importers' tests: what a careless user or an attacker
might upload instead of a table, a plan or a scenario."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from openpyxl import Workbook

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _replace_member(data: bytes, member: str, chunks) -> bytes:
    """The ZIP ``data`` with ``member`` replaced by the concatenated ``chunks``, written
    as a stream so that a huge member never sits in memory."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in source.infolist():
            if info.filename == member:
                with out.open(member, "w", force_zip64=True) as handle:
                    for chunk in chunks:
                        handle.write(chunk)
            else:
                out.writestr(info, source.read(info.filename))
    return buffer.getvalue()


@cache
def xlsx_bomb(megabytes: int = 300) -> bytes:
    """A small workbook whose sheet unpacks to ``megabytes`` of XML."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
        b'formats.org/spreadsheetml/2006/main"><sheetData>'
    )
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
    block = row * 1000  # about 1 MB

    def chunks():
        yield head
        for _ in range(megabytes):
            yield block
        yield b"</sheetData></worksheet>"

    return _replace_member(xlsx([["x"]]), "xl/worksheets/sheet1.xml", chunks())


@cache
def docx_bomb(megabytes: int = 100) -> bytes:
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxml'
        b'formats.org/wordprocessingml/2006/main"><w:body>'
    )
    block = (b"<w:p><w:r><w:t>" + b"A" * 1000 + b"</w:t></w:r></w:p>") * 1000

    def chunks():
        yield head
        for _ in range(megabytes):
            yield block
        yield b"</w:body></w:document>"

    return _replace_member(docx(["x"]), "word/document.xml", chunks())


def xlsx_declared(ref: str = "A1:XFD1048576") -> bytes:
    """A tiny workbook whose sheet claims to span ``ref``."""
    data = xlsx([["x"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:A1"/>', f'<dimension ref="{ref}"/>'.encode())
    return _replace_member(data, "xl/worksheets/sheet1.xml", [sheet])


def tables(header: list[str]) -> dict[str, bytes]:
    """name → content of hostile table files for an importer expecting ``header``."""
    good = xlsx([header, ["1"] * len(header)])
    csv_header = ";".join(header)
    return {
        "пустой.xlsx": b"",
        "пустой.csv": b"",
        "обрезанный.xlsx": good[: len(good) // 2],
        "картинка.xlsx": PNG,
        "картинка.csv": PNG,
        "просто-zip.xlsx": _zip({"hello.txt": b"hello"}),
        "бомба.xlsx": xlsx_bomb(),
        "огромный-лист.xlsx": xlsx_declared(),
        "длинная-ячейка.xlsx": xlsx([header, ["Я" * 40_000] * len(header)]),
        "длинная-ячейка.csv": (csv_header + "\n" + "Я" * 200_000 + "\n").encode("utf-8"),
        "незакрытая-кавычка.csv": (csv_header + '\n"' + "x" * 140_000).encode(),
        "utf-16.csv": (csv_header + "\n1;2\n").encode("utf-16"),
        "много-столбцов.csv": (";".join(["x"] * 5000) + "\n").encode(),
        "формула.xlsx": xlsx([header, ['=HYPERLINK("http://example.org","жми")'] * len(header)]),
        "формула.csv": (csv_header + "\n" + ";".join(["=1+2"] * len(header)) + "\n").encode(),
        "пустая-таблица.xlsx": xlsx([]),
        "только-заголовок.csv": (csv_header + "\n").encode("cp1251", errors="replace"),
    }


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return buffer.getvalue()


def documents() -> dict[str, bytes]:
    """name → content of hostile Word files for the plan import."""
    good = docx(["План"])
    return {
        "пустой.docx": b"",
        "обрезанный.docx": good[: len(good) // 2],
        "картинка.docx": PNG,
        "просто-zip.docx": _zip({"hello.txt": b"hello"}),
        "бомба.docx": docx_bomb(),
        "без-таблицы.docx": good,
        "битый-xml.docx": _replace_member(good, "word/document.xml", [b"<w:document><oops"]),
    }


def scenarios() -> dict[str, bytes]:
    """name → content of hostile plan_exchange JSON files."""
    return {
        "пустой.json": b"",
        "картинка.json": PNG,
        "вложенный.json": b"[" * 100_000 + b"]" * 100_000,
        "вложенный-объект.json": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        "огромное-число.json": b'{"schools": [{"id": 1, "lat": 1' + b"0" * 5000 + b', "lon": 1}],'
        b' "items": []}',
        "огромное-целое.json": b'{"schools": [], "items": [{"entry": 1, "school": 1, "surplus": '
        + b"9" * 5000
        + b"}]}",
        "utf-16.json": '{"schools": [], "items": []}'.encode("utf-16"),
        "обрезанный.json": b'{"schools": [{"id": 1, "la',
        "nan.json": b'{"schools": [{"id": 1, "lat": NaN, "lon": Infinity}], "items": []}',
    }
