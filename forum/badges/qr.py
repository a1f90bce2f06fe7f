"""QR matrices for badge tokens, drawn by the qrcode library.

Tokens are uppercase base32, so they are encoded in alphanumeric mode; error correction M,
version ≤ 6 (quick to read from paper or a phone screen). A fixed mask skips the library's
mask search, which is most of its cost; a version chosen up front for the token length skips
its fitting loop.
"""

from __future__ import annotations

import qrcode
from qrcode.util import MODE_ALPHA_NUM, QRData

from forum.badges.tokens import TOKEN_LENGTH

MAX_VERSION = 6
TOKEN_VERSION = 6  # 127 alphanumeric characters need version 6 at M (capacity 154)
MASK = 0
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

# Rows of "0"/"1" characters (1 = dark): cheap to build, compare and scan for runs.
Matrix = tuple[str, ...]


class CodeTooLong(ValueError):
    """The text needs a QR version above 6 at error correction M."""


def matrix(text: str) -> Matrix:
    """The QR modules at error correction M, version ≤ 6, without quiet zone."""
    alnum = all(c in _ALNUM for c in text)
    fixed = alnum and len(text) == TOKEN_LENGTH
    code = qrcode.QRCode(version=TOKEN_VERSION if fixed else None,
                         error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=MASK)
    code.add_data(QRData(text.encode(), mode=MODE_ALPHA_NUM) if alnum else text, optimize=0)
    code.make(fit=not fixed)
    if code.version > MAX_VERSION:
        raise CodeTooLong(f"needs QR version {code.version}")
    return tuple("".join("1" if dark else "0" for dark in row) for row in code.modules)
