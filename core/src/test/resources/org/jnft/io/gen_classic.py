from scapy.all import Ether, IP, UDP, IPv6, TCP, Raw, wrpcap, PcapWriter
from decimal import Decimal
pk = [
  Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")/IP(src="10.0.0.1", dst="10.0.0.2")/UDP(sport=1000, dport=2000)/Raw(b"hello"),
  Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")/IPv6(src="2001:db8::2", dst="2001:db8::1")/TCP(sport=80, dport=40000, flags="SA"),
  Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")/IP(src="10.0.0.1", dst="10.0.0.255")/UDP(sport=1, dport=2)/Raw(b"x"*100),
]
ts = [Decimal("1700000000.123456789"), Decimal("1700000001.000001999"), Decimal("1700000002.5")]
for p, t in zip(pk, ts):
    p.time = t
for name, nano, endian in [("classic-us-le.pcap", False, "<"), ("classic-us-be.pcap", False, ">"),
                           ("classic-ns-le.pcap", True, "<"), ("classic-ns-be.pcap", True, ">")]:
    w = PcapWriter(name, nano=nano, endianness=endian, linktype=1, sync=True)
    for p in pk:
        w.write(p)
    w.close()
