"""QR matrices for badge tokens.

Bulk printing draws 20,000 codes; the qrcode library needs several milliseconds per code even
with a fixed mask (its Reed-Solomon step builds polynomial objects). Badge tokens always have
the same shape (127 alphanumeric characters), so they get a table-driven encoder for exactly
that shape: version 6, error correction M, mask 0, with the function patterns and the data
module order computed once. Its output is the qrcode library's output bit for bit (the tests
compare them); any other text goes through the qrcode library.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

import qrcode
from qrcode.util import MODE_ALPHA_NUM, QRData

from forum.badges.tokens import TOKEN_LENGTH

MAX_VERSION = 6
MASK = 0  # checkerboard; a fixed mask skips the library's costly mask search
_SIZE = 41  # version 6
_BLOCKS, _DATA_PER_BLOCK, _EC_PER_BLOCK = 4, 27, 16  # version 6-M
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_INDEX = {c: i for i, c in enumerate(_ALNUM)}

# Rows of "0"/"1" characters (1 = dark): cheap to build, compare and scan for runs.
Matrix = tuple[str, ...]


class CodeTooLong(ValueError):
    """The text needs a QR version above 6 at error correction M."""


# --- GF(256) and Reed-Solomon -------------------------------------------------------------
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _generator(n: int) -> list[int]:
    poly = [1]
    for i in range(n):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= _EXP[_LOG[coef] + i]
        poly = nxt
    return poly


_GEN_LOGS = [_LOG[c] for c in _generator(_EC_PER_BLOCK)[1:]]
# factor → the generator scaled by it, as one 128-bit integer: the shift register of the
# division is then an integer, and each step is a shift, a lookup and an xor.
_SCALED = [0] + [int.from_bytes(bytes(_EXP[_LOG[f] + gl] for gl in _GEN_LOGS), "big")
                 for f in range(1, 256)]
_REGISTER = (1 << (8 * _EC_PER_BLOCK)) - 1
_TOP = 8 * (_EC_PER_BLOCK - 1)


def _ec_codewords(data: list[int]) -> list[int]:
    ec = 0
    for byte in data:
        ec = ((ec << 8) & _REGISTER) ^ _SCALED[byte ^ (ec >> _TOP)]
    return list(ec.to_bytes(_EC_PER_BLOCK, "big"))


# --- layout of version 6 ------------------------------------------------------------------
@lru_cache(maxsize=1)
def _layout() -> tuple[itemgetter, int, int, str]:
    """A gather that lays out (data bits + template) as the grid, the mask, the bit count."""
    n = _SIZE
    grid: list[int | None] = [None] * (n * n)

    def put(r: int, c: int, dark: bool) -> None:
        grid[r * n + c] = int(dark)

    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= r0 + r < n and 0 <= c0 + c < n:
                    ring = max(abs(r - 3), abs(c - 3))
                    put(r0 + r, c0 + c, ring != 2 and ring != 4)
    for i in range(8, n - 8):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    for r in range(-2, 3):  # the one alignment pattern of version 6, centred at (34, 34)
        for c in range(-2, 3):
            put(34 + r, 34 + c, max(abs(r), abs(c)) != 1)
    fmt = _format_bits()
    for i in range(15):
        bit = bool((fmt >> i) & 1)
        put(i if i < 6 else (i + 1 if i < 8 else n - 15 + i), 8, bit)
        put(8, n - i - 1 if i < 8 else (15 - i if i < 9 else 14 - i), bit)
    put(n - 8, 8, True)

    order: list[int] = []
    row, step = n - 1, -1
    col = n - 1
    while col > 0:
        if col == 6:
            col -= 1
        while 0 <= row < n:
            for c in (col, col - 1):
                if grid[row * n + c] is None:
                    order.append(row * n + c)
            row += step
        row -= step
        step = -step
        col -= 2
    mask = int("".join("1" if (i // n + i % n) % 2 == 0 else "0" for i in order), 2)
    position = {cell: k for k, cell in enumerate(order)}
    gather = itemgetter(*(position[cell] if cell in position else len(order) + cell
                          for cell in range(n * n)))
    template = "".join("0" if v is None else str(v) for v in grid)
    return gather, mask, len(order), template


def _format_bits() -> int:
    data = (0 << 3) | MASK  # error correction M is 00
    rem = data << 10
    for shift in range(4, -1, -1):
        if rem & (1 << (shift + 10)):
            rem ^= 0x537 << shift
    return ((data << 10) | rem) ^ 0x5412


_PAIRS = {a + b: _ALNUM_INDEX[a] * 45 + _ALNUM_INDEX[b] for a in _ALNUM for b in _ALNUM}


def _token_codewords(text: str) -> list[int]:
    # The bit stream as one integer: mode 0010, 9-bit length, 11 bits per pair, 6 for a last
    # single character, up to 4 terminator bits, zero bits to a byte, then pad bytes.
    value, nbits = (0b0010 << 9) | len(text), 13
    pairs = _PAIRS
    for i in range(0, len(text) - 1, 2):
        value = (value << 11) | pairs[text[i:i + 2]]
    nbits += 11 * (len(text) // 2)
    if len(text) % 2:
        value, nbits = (value << 6) | _ALNUM_INDEX[text[-1]], nbits + 6
    capacity = _BLOCKS * _DATA_PER_BLOCK * 8
    if nbits > capacity:
        raise CodeTooLong("too long for version 6")
    tail = min(4, capacity - nbits)
    tail += -(nbits + tail) % 8
    value, nbits = value << tail, nbits + tail
    data = list(value.to_bytes(nbits // 8, "big"))
    data += [0xEC, 0x11] * ((capacity // 8 - len(data)) // 2 + 1)
    data = data[:capacity // 8]
    blocks = [data[b * _DATA_PER_BLOCK:(b + 1) * _DATA_PER_BLOCK] for b in range(_BLOCKS)]
    ecs = [_ec_codewords(block) for block in blocks]
    out = [block[i] for i in range(_DATA_PER_BLOCK) for block in blocks]
    out += [ec[i] for i in range(_EC_PER_BLOCK) for ec in ecs]
    return out


def _fast(text: str) -> Matrix:
    gather, mask, count, template = _layout()
    words = _token_codewords(text)
    # Remainder bits after the codewords are zero before masking.
    data = int.from_bytes(bytes(words), "big") << (count - len(words) * 8)
    flat = "".join(gather(format(data ^ mask, f"0{count}b") + template))
    n = _SIZE
    return tuple(flat[r * n:(r + 1) * n] for r in range(n))


def _with_library(text: str, *, mask: int | None = MASK) -> Matrix:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=mask)
    code.add_data(QRData(text.encode(), mode=MODE_ALPHA_NUM) if _is_alnum(text) else text)
    code.make(fit=True)
    if code.version > MAX_VERSION:
        raise CodeTooLong(f"needs QR version {code.version}")
    return tuple("".join("1" if m else "0" for m in row) for row in code.modules)


def _is_alnum(text: str) -> bool:
    return all(c in _ALNUM_INDEX for c in text)


def matrix(text: str) -> Matrix:
    """The QR modules (True = dark) at error correction M, version ≤ 6, without quiet zone."""
    if len(text) == TOKEN_LENGTH and _is_alnum(text):
        return _fast(text)
    return _with_library(text)
