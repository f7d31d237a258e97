# Malformed and hostile frames from ns1 towards (and through) the router: each kind a few times, then
# seeded random garbage. Usage: malformed.py IFACE ROUTER_MAC
import random
import sys
from scapy.all import (ARP, ICMP, IP, IPv6, TCP, UDP, Ether, Raw, conf, fragment, get_if_hwaddr, sendp)

conf.verb = 0
iface, rmac = sys.argv[1], sys.argv[2]
mac = get_if_hwaddr(iface)
eth = Ether(dst=rmac, src=mac)
me, peer, r = "10.0.1.99", "10.0.2.99", "10.0.1.1"
frames = []


def raw(p):
    return bytes(p)


ok4 = raw(eth / IP(src=me, dst=peer) / UDP(sport=1, dport=9) / b"payload")
frames.append(ok4[:10])                                    # runt frame
frames.append(ok4[:14 + 5])                                # IPv4 header cut short
bad = bytearray(ok4); bad[14 + 10] ^= 0xff; frames.append(bytes(bad))          # bad header checksum
bad = bytearray(ok4); bad[14] = 0x43; frames.append(bytes(bad))                 # ihl 3
bad = bytearray(ok4); bad[14 + 2:14 + 4] = (4000).to_bytes(2, "big"); frames.append(bytes(bad))  # length > frame
frames.append(raw(eth / IP(src=me, dst=peer, len=4000) / UDP(sport=1, dport=9) / b"x"))
bad = bytearray(ok4); bad[14] = 0x65; frames.append(bytes(bad))                 # version 6 in an IPv4 frame
frames.append(raw(eth / IP(src=me, dst=peer) / TCP(sport=2, dport=12345, dataofs=2, flags="S")))
frames.append(raw(eth / IP(src=me, dst=peer, ihl=15, options=b"\x07\x00" + b"\x00" * 38) / UDP()))  # bad record-route option
frames.append(raw(eth / IPv6(src="dead:1::99", dst="dead:2::99", plen=2000) / UDP(sport=1, dport=9) / b"x"))
frames.append(raw(eth / IPv6(src="dead:1::99", dst="dead:2::99"))[:14 + 20])   # IPv6 header cut short
frames.append(raw(Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / ARP(pdst=r, psrc=me))[:14 + 12])  # ARP cut short
frames.append(raw(eth / IP(src=me, dst=r) / ICMP(chksum=0x1234)))              # bad ICMP checksum to the router
frames.append(raw(eth / IP(src="127.0.0.1", dst=peer) / UDP()))                # martian source
frames.append(raw(eth / IP(src=me, dst=peer, ttl=1) / UDP(dport=9)))           # TTL exhausted
for f in fragment(IP(src=me, dst=peer, id=77) / UDP(dport=9) / (b"z" * 3000), fragsize=800)[:2]:
    frames.append(raw(eth / f))                                                # a datagram never completed
over = IP(src=me, dst=peer, id=78, flags="MF", frag=0) / Raw(b"a" * 64)
frames.append(raw(eth / over))
frames.append(raw(eth / IP(src=me, dst=peer, id=78, frag=4) / Raw(b"b" * 64)))  # overlapping fragment
rnd = random.Random(8)
for _ in range(300):
    t = rnd.choice([0x0800, 0x86DD, 0x0806, 0x8100, rnd.randrange(0, 65536)])
    body = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 120)))
    frames.append(raw(Ether(dst=rmac, src=mac, type=t)) + body)
sendp([Raw(f) for f in frames * 3], iface=iface)
print(len(frames) * 3)
