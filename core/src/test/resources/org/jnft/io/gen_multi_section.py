import struct
from scapy.all import Ether, IP, UDP, Raw
def frame(i, n=20):
    return bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")/IP(src="10.0.0.1", dst="10.0.0.%d" % i)/UDP(sport=1000, dport=2000)/Raw(b"p"*n))
def pad(b): return b + b"\0" * (-len(b) % 4)
def opt(e, code, val): return struct.pack(e+"HH", code, len(val)) + pad(val)
def block(e, typ, body):
    body = pad(body); n = len(body) + 12
    return struct.pack(e+"II", typ, n) + body + struct.pack(e+"I", n)
def shb(e, opts=b""):
    return block(e, 0x0A0D0D0A, struct.pack(e+"IHHq", 0x1A2B3C4D, 1, 0, -1) + opts)
def idb(e, snap, opts=b""):
    return block(e, 1, struct.pack(e+"HHI", 1, 0, snap) + opts + (opt(e, 0, b"") if opts else b""))
def epb(e, ifid, ts, data, orig=None):
    return block(e, 6, struct.pack(e+"IIIII", ifid, ts >> 32, ts & 0xffffffff, len(data), orig or len(data)) + pad(data))
def opb(e, ifid, ts, data):
    return block(e, 2, struct.pack(e+"HHIIII", ifid, 0, ts >> 32, ts & 0xffffffff, len(data), len(data)) + pad(data))
def spb(e, data):
    return block(e, 3, struct.pack(e+"I", len(data)) + pad(data))
E = ">"
out = shb(E, opt(E, 4, b"jnft-fixture") + opt(E, 0, b""))
out += idb(E, 0, opt(E, 9, bytes([0x94])))                         # if 0: 2^-20 s
out += idb(E, 128, opt(E, 9, bytes([3])) + opt(E, 14, struct.pack(E+"q", 1000)))  # if 1: ms, offset +1000 s
out += block(E, 0x00000BAD, b"unknown block body")
out += epb(E, 0, 1700000000 * 2**20 + 2**19, frame(1))               # 1700000000.5
out += epb(E, 1, 1699999000 * 1000 + 250, frame(2))                  # 1700000000.250 (+1000s offset)
out += spb(E, frame(3, 21))
out += opb(E, 1, 1699999001 * 1000 + 1, frame(4))                    # 1700000001.001
L = "<"
out += shb(L)
out += idb(L, 262144)
out += block(L, 5, struct.pack(L+"IIII", 0, 0, 0, 0))  # interface statistics block, skipped
out += epb(L, 0, 1700000002 * 10**6 + 7, frame(5), orig=200)          # 1700000002.000007, orig 200
open("multi-section.pcapng", "wb").write(out)
