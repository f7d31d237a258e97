# Sends one probe of each kind to the router's addresses from ns1 and counts the answers, to show that
# each is answered exactly once (by jnft, not also by the kernel). Usage: probe_router.py IFACE ROUTER_MAC
import sys
import time
from scapy.all import (ARP, ICMP, IP, IPv6, TCP, UDP, AsyncSniffer, Ether, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, conf,
                       get_if_hwaddr, sendp)

conf.verb = 0
iface, rmac = sys.argv[1], sys.argv[2]
mac = get_if_hwaddr(iface)
me4, r4, me6, r6 = "10.0.1.99", "10.0.1.1", "dead:1::99", "dead:1::1"

probes = {
    "arp": Ether(dst="ff:ff:ff:ff:ff:ff", src=mac) / ARP(op=1, hwsrc=mac, psrc=me4, pdst=r4),
    "echo": Ether(dst=rmac, src=mac) / IP(src=me4, dst=r4) / ICMP(id=0x4a6e, seq=1),
    "tcp_rst": Ether(dst=rmac, src=mac) / IP(src=me4, dst=r4) / TCP(sport=40001, dport=7, flags="S", seq=1000),
    "udp_unreach": Ether(dst=rmac, src=mac) / IP(src=me4, dst=r4) / UDP(sport=40002, dport=7) / b"x",
    "echo6": Ether(dst=rmac, src=mac) / IPv6(src=me6, dst=r6) / ICMPv6EchoRequest(id=0x4a6e, seq=1),
    "ns": Ether(dst="33:33:ff:00:00:01", src=mac) / IPv6(src=me6, dst="ff02::1:ff00:1", hlim=255)
          / ICMPv6ND_NS(tgt=r6) / ICMPv6NDOptSrcLLAddr(lladdr=mac),
}


def kind(p):
    if ARP in p and p[ARP].op == 2 and p[ARP].psrc == r4 and p[ARP].pdst == me4:
        return "arp"
    if IP in p and p[IP].src == r4:
        if ICMP in p and p[ICMP].type == 0 and p[ICMP].id == 0x4a6e:
            return "echo"
        if ICMP in p and p[ICMP].type == 3 and p[ICMP].code == 3:
            return "udp_unreach"
        if TCP in p and p[TCP].sport == 7 and p[TCP].dport == 40001 and p[TCP].flags & 0x04:
            return "tcp_rst"
    if IPv6 in p and p[IPv6].src in (r6,) or (IPv6 in p and p[IPv6].src.startswith("fe80")):
        if ICMPv6EchoReply in p and p[ICMPv6EchoReply].id == 0x4a6e:
            return "echo6"
        if ICMPv6ND_NA in p and p[ICMPv6ND_NA].tgt == r6 and p[IPv6].dst == me6:
            return "ns"
    return None


counts = {k: 0 for k in probes}
seen = AsyncSniffer(iface=iface, store=True)
seen.start()
time.sleep(0.5)
for name, pkt in probes.items():
    sendp(pkt, iface=iface)
    time.sleep(0.3)
time.sleep(2)
for p in seen.stop():
    k = kind(p)
    if k:
        counts[k] += 1
print(" ".join(f"{k}={v}" for k, v in counts.items()))
