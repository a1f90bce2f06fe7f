"""One PDF written piece by piece from a sequence of small PDFs made by reportlab.

reportlab keeps every page of a document in memory until ``save()``. For 20,000 badges the
printer instead draws chunks of a few hundred pages as separate small documents and this
writer appends their objects to the output as they come, renumbered, with one page tree at the
end. Memory stays at one chunk whatever the total; the output is written as it is produced.

It reads what reportlab writes (a classic cross-reference table, no object streams, no
encryption); that is the only input it is given.
"""

from __future__ import annotations

import re
from typing import BinaryIO

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_REF = re.compile(rb"(\d+) 0 R\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_PAGE = re.compile(rb"/Type /Page\b")


class PdfJoiner:
    """Appends the pages of reportlab PDFs to ``out``; ``finish()`` writes the page tree."""

    _CATALOG, _PAGES = 1, 2

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pos = 0
        self._offsets: dict[int, int] = {}
        self._kids: list[int] = []
        self._next = 3
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @property
    def pages(self) -> int:
        return len(self._kids)

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._pos += len(data)

    def _object(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._pos
        self._write(b"%d 0 obj" % number)
        self._write(body)

    def add(self, pdf: bytes) -> None:
        """Append every page of one PDF (its catalog, page root and info are replaced)."""
        match = _STARTXREF.search(pdf, len(pdf) - 64)
        if match is None:
            raise ValueError("not a PDF with a cross-reference table")
        xref_at = int(match[1])
        header = pdf.index(b"\n", pdf.index(b"\n", xref_at) + 1)  # "xref" and "0 N" lines
        trailer_at = pdf.index(b"trailer", xref_at)
        entries = _XREF_ENTRY.findall(pdf, header, trailer_at)
        trailer = pdf[trailer_at:match.start()]
        root = int(re.search(rb"/Root (\d+) 0 R", trailer)[1])
        info = re.search(rb"/Info (\d+) 0 R", trailer)
        objects = sorted((int(off), num) for num, (off, _gen, kind) in enumerate(entries)
                         if kind == b"n")
        ends = [off for off, _ in objects[1:]] + [xref_at]
        bodies = {num: (off, end) for (off, num), end in zip(objects, ends, strict=True)}
        catalog = pdf[bodies[root][0]:bodies[root][1]]
        page_root = int(re.search(rb"/Pages (\d+) 0 R", catalog)[1])
        skip = {root, page_root} | ({int(info[1])} if info else set())

        renumber = {page_root: self._PAGES}
        for _off, num in objects:
            if num not in skip:
                renumber[num] = self._next
                self._next += 1

        def ref(m: re.Match) -> bytes:
            return b"%d 0 R" % renumber[int(m[1])]

        for off, num in objects:
            if num in skip:
                continue
            raw = pdf[off:bodies[num][1]]
            body = raw[raw.index(b"obj") + 3:]
            stream = _STREAM.search(body)
            head, tail = (body[:stream.end()], body[stream.end():]) if stream else (body, b"")
            head = _REF.sub(ref, head)  # references live in dictionaries, never in stream data
            if _PAGE.search(head):
                self._kids.append(renumber[num])
            self._object(renumber[num], head + tail)

    def finish(self, *, title: str) -> None:
        """Write the page tree, catalog, info and cross-reference table."""
        kids = b" ".join(b"%d 0 R" % k for k in self._kids)
        self._object(self._PAGES, b"\n<< /Type /Pages /Count %d /Kids [ %s ] >>\nendobj\n"
                     % (len(self._kids), kids))
        self._object(self._CATALOG, b"\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n"
                     % self._PAGES)
        info = self._next
        self._next += 1
        title_hex = ("\ufeff" + title).encode("utf-16-be").hex().upper().encode()
        self._object(info, b"\n<< /Title <%s> /Producer (Digital Bridge forum) >>\nendobj\n"
                     % title_hex)
        xref_at = self._pos
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % self._next]
        lines += [b"%010d 00000 n \n" % self._offsets[n] for n in range(1, self._next)]
        self._write(b"".join(lines))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (self._next, self._CATALOG, info, xref_at))
