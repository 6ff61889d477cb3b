#!/usr/bin/env python3
"""Draws Shoal's kernel logos (a fish) as 32x32 and 64x64 PNGs, without dependencies."""
import math
import os
import struct
import zlib


def fish(size):
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter: none
        for x in range(size):
            u, v = (x + 0.5) / size, (y + 0.5) / size
            # body: an ellipse; tail: a triangle on the left; eye: a dot
            body = ((u - 0.56) / 0.36) ** 2 + ((v - 0.5) / 0.26) ** 2 <= 1
            tail = 0.06 <= u <= 0.28 and abs(v - 0.5) <= (0.28 - u) * 1.2
            eye = math.hypot(u - 0.74, v - 0.44) <= 0.05
            stripe = body and abs(u - 0.55) < 0.05
            if eye:
                px = (20, 30, 40, 255)
            elif stripe:
                px = (255, 255, 255, 255)
            elif body or tail:
                px = (240, 120, 30, 255)  # clownfish orange
            else:
                px = (0, 0, 0, 0)
            row += bytes(px)
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shoal")
for size in (32, 64):
    with open(os.path.join(here, f"logo-{size}x{size}.png"), "wb") as f:
        f.write(fish(size))
