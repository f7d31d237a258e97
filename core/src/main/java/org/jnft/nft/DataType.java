package org.jnft.nft;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nft's data types: name (as in {@code type X}), description (as in error messages), width, byte order
 * and kind, with symbolic constants as tables. Host-order types are stored little-endian in registers.
 */
public final class DataType {
    public enum Kind { INTEGER, STRING, IPV4, IPV6, MAC, BITMASK, VERDICT, OBJECT }

    public final String name, desc;
    public final int bits;
    public final boolean host;
    public final Kind kind;
    public final Map<String, Long> symbols;
    /** Symbols are resolved only through a special parser (services, protocols). */
    public final String symbolError;
    /** Listed as numbers although symbols parse (nft prints some protocol fields numerically). */
    public boolean printNumeric;

    private DataType(String name, String desc, int bits, boolean host, Kind kind, Map<String, Long> symbols,
                     String symbolError) {
        this.name = name;
        this.desc = desc;
        this.bits = bits;
        this.host = host;
        this.kind = kind;
        this.symbols = symbols;
        this.symbolError = symbolError;
    }

    public int bytes() {
        return (bits + 7) / 8;
    }

    /** A plain integer of {@code bits} in host or network order. */
    public static DataType integer(int bits, boolean host) {
        return new DataType("integer", "integer", bits, host, Kind.INTEGER, Map.of(), null);
    }

    /** Raw payload values: integers listed in hexadecimal. */
    public static DataType raw(int bits) {
        return new DataType("raw", "integer", bits, false, Kind.INTEGER, Map.of(), null);
    }

    /** The same type, listed with numbers instead of symbols. */
    public DataType numeric() {
        DataType d = new DataType(name, desc, bits, host, kind, symbols, symbolError);
        d.printNumeric = true;
        return d;
    }

    public DataType withBits(int b) {
        return new DataType(name, desc, b, host, kind, symbols, symbolError);
    }

    private static Map<String, Long> syms(Object... kv) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
        return m;
    }

    private static DataType t(String name, String desc, int bits, boolean host, Kind kind, Map<String, Long> s) {
        return new DataType(name, desc, bits, host, kind, s, null);
    }

    public static final Map<String, Long> PROTOCOLS = syms("ip", 0, "icmp", 1, "igmp", 2, "ggp", 3, "ipencap", 4,
            "st", 5, "tcp", 6, "egp", 8, "igp", 9, "pup", 12, "udp", 17, "hmp", 20, "xns-idp", 22, "rdp", 27,
            "iso-tp4", 29, "dccp", 33, "xtp", 36, "ddp", 37, "idpr-cmtp", 38, "ipv6", 41, "ipv6-route", 43,
            "ipv6-frag", 44, "idrp", 45, "rsvp", 46, "gre", 47, "esp", 50, "ah", 51, "skip", 57, "ipv6-icmp", 58,
            "ipv6-nonxt", 59, "ipv6-opts", 60, "rspf", 73, "vmtp", 81, "eigrp", 88, "ospf", 89, "ax.25", 93,
            "ipip", 94, "etherip", 97, "encap", 98, "pim", 103, "ipcomp", 108, "vrrp", 112, "l2tp", 115,
            "isis", 124, "sctp", 132, "fc", 133, "mobility-header", 135, "udplite", 136, "mpls-in-ip", 137,
            "manet", 138, "hip", 139, "shim6", 140, "wesp", 141, "rohc", 142, "ethernet", 143,
            "icmpv6", 58, "comp", 108);

    public static final Map<String, Long> SERVICES = syms("tcpmux", 1, "echo", 7, "discard", 9, "systat", 11,
            "daytime", 13, "netstat", 15, "qotd", 17, "chargen", 19, "ftp-data", 20, "ftp", 21, "ssh", 22,
            "telnet", 23, "smtp", 25, "time", 37, "whois", 43, "tacacs", 49, "domain", 53, "gopher", 70,
            "finger", 79, "http", 80, "kerberos", 88, "iso-tsap", 102, "acr-nema", 104, "pop3", 110,
            "sunrpc", 111, "auth", 113, "nntp", 119, "ntp", 123, "epmap", 135, "netbios-ns", 137,
            "netbios-dgm", 138, "netbios-ssn", 139, "imap2", 143, "snmp", 161, "snmp-trap", 162, "cmip-man", 163,
            "cmip-agent", 164, "mailq", 174, "xdmcp", 177, "bgp", 179, "smux", 199, "qmtp", 209, "z3950", 210,
            "ipx", 213, "ptp-event", 319, "ptp-general", 320, "pawserv", 345, "zserv", 346, "rpc2portmap", 369,
            "codaauth2", 370, "clearcase", 371, "ldap", 389, "svrloc", 427, "https", 443, "snpp", 444,
            "microsoft-ds", 445, "kpasswd", 464, "submissions", 465, "saft", 487, "isakmp", 500, "rtsp", 554,
            "nqs", 607, "asf-rmcp", 623, "qmqp", 628, "ipp", 631, "ldp", 646, "exec", 512, "biff", 512,
            "login", 513, "who", 513, "shell", 514, "syslog", 514, "printer", 515, "talk", 517, "ntalk", 518,
            "route", 520, "gdomap", 538, "uucp", 540, "klogin", 543, "kshell", 544, "dhcpv6-client", 546,
            "dhcpv6-server", 547, "afpovertcp", 548, "nntps", 563, "submission", 587, "ldaps", 636,
            "tinc", 655, "silc", 706, "kerberos-adm", 749, "domain-s", 853, "rsync", 873, "ftps-data", 989,
            "ftps", 990, "telnets", 992, "imaps", 993, "pop3s", 995, "socks", 1080, "proofd", 1093,
            "rootd", 1094, "openvpn", 1194, "rmiregistry", 1099, "lotusnote", 1352, "ms-sql-s", 1433,
            "ms-sql-m", 1434, "ingreslock", 1524, "datametrics", 1645, "sa-msg-port", 1646, "kermit", 1649,
            "groupwise", 1677, "l2f", 1701, "radius", 1812, "radius-acct", 1813, "cisco-sccp", 2000,
            "nfs", 2049, "gnunet", 2086, "rtcm-sc104", 2101, "gsigatekeeper", 2119, "gris", 2135,
            "cvspserver", 2401, "venus", 2430, "venus-se", 2431, "codasrv", 2432, "codasrv-se", 2433,
            "mon", 2583, "dict", 2628, "f5-globalsite", 2792, "gsiftp", 2811, "gpsd", 2947, "gds-db", 3050,
            "icpv2", 3130, "isns", 3205, "iscsi-target", 3260, "mysql", 3306, "ms-wbt-server", 3389,
            "nut", 3493, "distcc", 3632, "daap", 3689, "svn", 3690, "suucp", 4031, "sysrqd", 4094,
            "sieve", 4190, "epmd", 4369, "remctl", 4373, "f5-iquery", 4353, "ntske", 4460, "ipsec-nat-t", 4500,
            "iax", 4569, "mtn", 4691, "radmin-port", 4899, "sip", 5060, "sip-tls", 5061, "xmpp-client", 5222,
            "xmpp-server", 5269, "cfengine", 5308, "mdns", 5353, "postgresql", 5432, "freeciv", 5556,
            "amqps", 5671, "amqp", 5672, "x11", 6000, "x11-1", 6001, "x11-2", 6002, "x11-3", 6003,
            "x11-4", 6004, "x11-5", 6005, "x11-6", 6006, "x11-7", 6007, "gnutella-svc", 6346,
            "gnutella-rtr", 6347, "redis", 6379, "sge-qmaster", 6444, "sge-execd", 6445, "mysql-proxy", 6446,
            "babel", 6696, "ircs-u", 6697, "bbs", 7000, "afs3-fileserver", 7000, "afs3-callback", 7001,
            "afs3-prserver", 7002, "afs3-vlserver", 7003, "afs3-kaserver", 7004, "afs3-volser", 7005,
            "afs3-bos", 7007, "afs3-update", 7008, "afs3-rmtsys", 7009, "font-service", 7100,
            "http-alt", 8080, "puppet", 8140, "bacula-dir", 9101, "bacula-fd", 9102, "bacula-sd", 9103,
            "xmms2", 9667, "nbd", 10809, "zabbix-agent", 10050, "zabbix-trapper", 10051, "amanda", 10080,
            "dicom", 11112, "hkp", 11371, "db-lsp", 17500, "dcap", 22125, "gsidcap", 22128, "wnn6", 22273,
            "bootps", 67, "bootpc", 68, "tftp", 69, "imap", 143, "irc", 194, "ircs", 994);

    public static final DataType INTEGER = t("integer", "integer", 0, false, Kind.INTEGER, Map.of());
    /** nft's invalid_type: what ct proto-src/proto-dst have without a transport protocol in the rule. */
    public static final DataType INVALID = t("invalid", "invalid", 16, false, Kind.INTEGER, Map.of());
    public static final DataType IPV4 = t("ipv4_addr", "IPv4 address", 32, false, Kind.IPV4, Map.of());
    public static final DataType IPV6 = t("ipv6_addr", "IPv6 address", 128, false, Kind.IPV6, Map.of());
    public static final DataType ETHER = t("ether_addr", "Ethernet address", 48, false, Kind.MAC, Map.of());
    public static final DataType INET_PROTO = new DataType("inet_proto", "Internet protocol", 8, false,
            Kind.INTEGER, PROTOCOLS, "Could not resolve protocol name");
    public static final DataType INET_SERVICE = new DataType("inet_service", "internet network service", 16,
            false, Kind.INTEGER, SERVICES, "Could not resolve service: Servname not supported for ai_socktype");
    public static final DataType MARK = t("mark", "packet mark", 32, true, Kind.INTEGER, Map.of());
    public static final DataType IFNAME = t("ifname", "network interface name", 128, false, Kind.STRING, Map.of());
    public static final DataType IFACE_INDEX = t("iface_index", "network interface index", 32, true, Kind.INTEGER,
            Map.of());
    public static final DataType IFACE_TYPE = t("iface_type", "network interface type", 16, true, Kind.INTEGER,
            syms("ether", 1, "ppp", 512, "ipip", 768, "ipip6", 769, "loopback", 772, "sit", 776, "ipgre", 778));
    public static final DataType NFPROTO = t("nf_proto", "netfilter protocol", 8, true, Kind.INTEGER,
            syms("ipv4", 2, "ipv6", 10));
    public static final DataType ETHER_TYPE = t("ether_type", "Ethernet protocol", 16, false, Kind.INTEGER,
            syms("ip", 0x0800, "arp", 0x0806, "ip6", 0x86dd, "8021q", 0x8100, "8021ad", 0x88a8, "vlan", 0x8100));
    public static final DataType PKTTYPE = t("pkt_type", "packet type", 8, true, Kind.INTEGER,
            syms("host", 0, "unicast", 0, "broadcast", 1, "multicast", 2, "other", 3));
    public static final DataType CT_STATE = new DataType("ct_state", "conntrack state", 32, true, Kind.BITMASK,
            syms("invalid", 1, "established", 2, "related", 4, "new", 8, "untracked", 64),
            "Could not parse conntrack state");
    public static final DataType CT_STATUS = new DataType("ct_status", "conntrack status", 32, true, Kind.BITMASK,
            syms("expected", 1, "seen-reply", 2, "assured", 4, "confirmed", 8, "snat", 16, "dnat", 32,
                    "dying", 512), "Could not parse conntrack status");
    public static final DataType CT_DIR = t("ct_dir", "conntrack direction", 8, true, Kind.INTEGER,
            syms("original", 0, "reply", 1));
    public static final DataType TCP_FLAG = t("tcp_flag", "TCP flag", 8, false, Kind.BITMASK,
            syms("fin", 1, "syn", 2, "rst", 4, "psh", 8, "ack", 16, "urg", 32, "ecn", 64, "cwr", 128));
    public static final DataType ICMP_TYPE = t("icmp_type", "ICMP type", 8, false, Kind.INTEGER,
            syms("echo-reply", 0, "destination-unreachable", 3, "source-quench", 4, "redirect", 5,
                    "echo-request", 8, "router-advertisement", 9, "router-solicitation", 10, "time-exceeded", 11,
                    "parameter-problem", 12, "timestamp-request", 13, "timestamp-reply", 14, "info-request", 15,
                    "info-reply", 16, "address-mask-request", 17, "address-mask-reply", 18));
    public static final DataType ICMPV6_TYPE = t("icmpv6_type", "ICMPv6 type", 8, false, Kind.INTEGER,
            syms("destination-unreachable", 1, "packet-too-big", 2, "time-exceeded", 3, "parameter-problem", 4,
                    "echo-request", 128, "echo-reply", 129, "mld-listener-query", 130, "mld-listener-report", 131,
                    "mld-listener-done", 132, "mld-listener-reduction", 132, "nd-router-solicit", 133,
                    "nd-router-advert", 134, "nd-neighbor-solicit", 135, "nd-neighbor-advert", 136,
                    "nd-redirect", 137, "router-renumbering", 138, "ind-neighbor-solicit", 141,
                    "ind-neighbor-advert", 142, "mld2-listener-report", 143));
    public static final DataType ICMP_CODE = t("icmp_code", "icmp code", 8, false, Kind.INTEGER,
            syms("net-unreachable", 0, "host-unreachable", 1, "prot-unreachable", 2, "port-unreachable", 3,
                    "frag-needed", 4, "net-prohibited", 9, "host-prohibited", 10, "admin-prohibited", 13));
    public static final DataType ICMPV6_CODE = t("icmpv6_code", "icmpv6 code", 8, false, Kind.INTEGER,
            syms("no-route", 0, "admin-prohibited", 1, "addr-unreachable", 3, "port-unreachable", 4,
                    "policy-fail", 5, "reject-route", 6));
    public static final DataType ICMPX_CODE = t("icmpx_code", "icmpx code", 8, false, Kind.INTEGER,
            syms("no-route", 0, "port-unreachable", 1, "host-unreachable", 2, "admin-prohibited", 3));
    public static final DataType DSCP = t("dscp", "Differentiated Services Code Point", 6, false, Kind.INTEGER,
            syms("cs0", 0, "cs1", 8, "cs2", 16, "cs3", 24, "cs4", 32, "cs5", 40, "cs6", 48, "cs7", 56,
                    "df", 0, "be", 0, "lephb", 1, "af11", 10, "af12", 12, "af13", 14, "af21", 18, "af22", 20,
                    "af23", 22, "af31", 26, "af32", 28, "af33", 30, "af41", 34, "af42", 36, "af43", 38, "va", 44,
                    "ef", 46));
    public static final DataType ECN = t("ecn", "Explicit Congestion Notification", 2, false, Kind.INTEGER,
            syms("not-ect", 0, "ect1", 1, "ect0", 2, "ce", 3));
    public static final DataType FIB_ADDRTYPE = t("fib_addrtype", "fib address type", 32, true, Kind.INTEGER,
            syms("unspec", 0, "unicast", 1, "local", 2, "broadcast", 3, "anycast", 4, "multicast", 5,
                    "blackhole", 6, "unreachable", 7, "prohibit", 8));
    public static final DataType BOOLEAN = t("boolean", "boolean type", 1, true, Kind.INTEGER,
            syms("exists", 1, "missing", 0, "true", 1, "false", 0));
    public static final DataType TIME = t("time", "relative time", 32, true, Kind.INTEGER, Map.of());
    public static final DataType VERDICT = t("verdict", "netfilter verdict", 32, true, Kind.VERDICT, Map.of());
    public static final DataType COUNTER = t("counter", "counter", 32, true, Kind.OBJECT, Map.of());
    public static final DataType QUOTA = t("quota", "quota", 32, true, Kind.OBJECT, Map.of());
    public static final DataType LIMIT = t("limit", "limit", 32, true, Kind.OBJECT, Map.of());
    public static final DataType REALM = t("realm", "routing realm", 32, true, Kind.INTEGER, Map.of());

    /** Names of the system's account database, as nft resolves them (getpwnam/getgrnam). */
    private static Map<String, Long> accounts(String file) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))) {
                String[] f = l.split(":");
                if (f.length > 2 && f[2].chars().allMatch(Character::isDigit) && !f[2].isEmpty()) {
                    m.putIfAbsent(f[0], Long.parseLong(f[2]));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            m.put("root", 0L);
        }
        return m;
    }

    public static final DataType UID = new DataType("uid", "user ID", 32, true, Kind.INTEGER, accounts("/etc/passwd"),
            null);
    public static final DataType GID = new DataType("gid", "group ID", 32, true, Kind.INTEGER, accounts("/etc/group"),
            null);
    public static final DataType DEVGROUP = t("devgroup", "devgroup name", 32, true, Kind.INTEGER, syms("default", 0));

    /** Types usable in {@code type X} of a set declaration. */
    public static final Map<String, DataType> BY_NAME = new LinkedHashMap<>();

    static {
        for (DataType d : new DataType[] {IPV4, IPV6, ETHER, INET_PROTO, INET_SERVICE, MARK, IFNAME, IFACE_INDEX,
                IFACE_TYPE, NFPROTO, ETHER_TYPE, PKTTYPE, CT_STATE, CT_STATUS, CT_DIR, TCP_FLAG, ICMP_TYPE,
                ICMPV6_TYPE, DSCP, ECN, FIB_ADDRTYPE, VERDICT, COUNTER, QUOTA, LIMIT, TIME, REALM, UID, GID, DEVGROUP}) {
            BY_NAME.put(d.name, d);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
