# A flood of new connections through the router: N SYNs from distinct source ports to an address beyond
# nsr2 that never answers (so that the entries stay). Usage: syn_flood.py IFACE ROUTER_MAC N
import sys
from scapy.all import IP, TCP, Ether, conf, get_if_hwaddr, sendp

conf.verb = 0
iface, rmac, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mac = get_if_hwaddr(iface)
sendp([Ether(dst=rmac, src=mac) / IP(src="10.0.1.99", dst="10.0.2.200") / TCP(sport=20000 + i, dport=12345, flags="S", seq=i)
       for i in range(n)], iface=iface)
print(n)
