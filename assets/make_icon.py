"""Draw assets/icon.png (256x256): a timeline with coloured event marks and a playhead; and the same icon in
the sizes desktops ask for, assets/icons/NxN.png (16 to 256), each averaged down from the 256 pixel drawing.

Standard library only (zlib + struct), so anyone can regenerate it: python3 assets/make_icon.py
"""
import os
import struct
import zlib

SIZE = 256
BG = (28, 32, 44, 255)
MARKS = [(86, 156, 214), (230, 145, 56), (106, 190, 112), (214, 88, 96), (170, 120, 220)]


def main():
    px = [[(0, 0, 0, 0)] * SIZE for _ in range(SIZE)]
    radius = 48
    for y in range(SIZE):
        for x in range(SIZE):
            cx = min(max(x, radius), SIZE - 1 - radius)
            cy = min(max(y, radius), SIZE - 1 - radius)
            if (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius:
                px[y][x] = BG
    # Axis line.
    for x in range(28, 228):
        for y in range(176, 182):
            px[y][x] = (120, 130, 150, 255)
    # Event marks of varying height.
    heights = [60, 90, 45, 110, 75, 95, 50, 120, 70]
    for i, h in enumerate(heights):
        x0 = 36 + i * 21
        color = MARKS[i % len(MARKS)] + (255,)
        for x in range(x0, x0 + 10):
            for y in range(170 - h, 170):
                px[y][x] = color
    # Playhead.
    for y in range(40, 200):
        for x in range(161, 166):
            px[y][x] = (245, 245, 245, 255)
    for row in range(12):
        for x in range(163 - (12 - row), 164 + (12 - row)):
            px[36 + row][x] = (245, 245, 245, 255)
    here = os.path.dirname(os.path.abspath(__file__))
    write_png(os.path.join(here, "icon.png"), px)
    os.makedirs(os.path.join(here, "icons"), exist_ok=True)
    for size in SIZES:
        write_png(os.path.join(here, "icons", f"{size}x{size}.png"), scaled(px, size))


SIZES = [16, 24, 32, 48, 64, 128]  # 256 is icon.png itself


def scaled(px, size):
    """`px` averaged down to size x size, colours weighted by their opacity so edges stay clean."""
    out = []
    for y in range(size):
        line = []
        rows = range(y * SIZE // size, (y + 1) * SIZE // size)
        for x in range(size):
            cols = range(x * SIZE // size, (x + 1) * SIZE // size)
            r = g = b = a = 0
            for yy in rows:
                for xx in cols:
                    pr, pg, pb, pa = px[yy][xx]
                    r, g, b, a = r + pr * pa, g + pg * pa, b + pb * pa, a + pa
            n = len(rows) * len(cols)
            line.append((r // a, g // a, b // a, a // n) if a else (0, 0, 0, 0))
        out.append(line)
    return out


def write_png(path, px):
    size = len(px)
    raw = b"".join(b"\x00" + bytes(c for p in line for c in p) for line in px)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
