package org.jnft.route;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parser of NET files (DESIGN.md, "Network configuration file"): one command a line, iproute2's words
 * without the leading {@code ip}; {@code #} starts a comment (anywhere on a line); blank lines are ignored.
 *
 * <pre>
 * link add NAME address MAC [mtu N]                       # mtu defaults to 1500
 * link add link PARENT name NAME type vlan id N [mtu N]   # mtu defaults to PARENT's
 * addr add ADDR[/PLEN] dev NAME                           # PLEN defaults to 32 / 128, as iproute2
 * route add (PREFIX[/PLEN] | default) [via GW] dev NAME [metric N]   # no /PLEN: a host route
 * neigh add ADDR lladdr MAC dev NAME
 * </pre>
 *
 * After the fixed head ({@code link add NAME}, {@code link add link PARENT}, {@code addr add ADDR},
 * {@code route add PREFIX}, {@code neigh add ADDR}) the KEY VALUE pairs may come in any order, as in
 * iproute2; each at most once. {@code addr}/{@code address} and {@code neigh}/{@code neighbor}/
 * {@code neighbour} are synonyms. Choices and checks (each failure a {@link NetFileException}
 * {@code FILE:LINE: reason}):
 * <ul>
 * <li>names as Linux's dev_valid_name: 1..15 bytes, no '/', ':' or whitespace, not "." or "..", and
 *     (our addition) no '%' (Linux would expand it as a template); {@code lo} exists already;</li>
 * <li>a link's MAC must be unicast and not all zeros (Linux's is_valid_ether_addr);</li>
 * <li>MTU 68..65535 (Ethernet's range in Linux); a vlan's MTU at most its parent's; a link below 1280 has
 *     no IPv6 (as Linux): no link-local address and no IPv6 {@code addr}/{@code neigh} on it;</li>
 * <li>vlan id 1..4094 (0 would read as "no vlan"; 4095 is reserved), unique per parent; no vlan on a vlan
 *     (802.1ad stacking) nor on lo;</li>
 * <li>addresses: IPv4 dotted quads (no leading zeros, no short forms such as 10/8), IPv6 as RFC 4291;
 *     the same address twice on a device is an error (IPv4: same address and prefix length, as Linux);</li>
 * <li>routes: {@code default} is ::/0 when {@code via} is IPv6, else 0.0.0.0/0; host bits set in an IPv4
 *     prefix is "Invalid prefix for given prefix length." as Linux, in an IPv6 prefix they are cleared
 *     silently, as Linux does; the gateway's family must be the prefix's;
 *     metric 0..4294967295, default 0 for IPv4 and 1024 for IPv6 (where 0 also means 1024, as Linux);
 *     a route whose prefix and metric equal an existing main-table route's (connected routes included) is
 *     an error, as Linux's "File exists"; a gateway must be reachable without a gateway on the route's
 *     device (an IPv6 link-local gateway always is), else "Nexthop has invalid gateway."; an IPv6 gateway
 *     must not be a local address ("Gateway can not be a local address."; Linux accepts local IPv4
 *     gateways and gateways inside a subnet of lo, then does not use them as next hops: such routes
 *     deliver locally in Linux, while jnft's Route keeps {@code hasGateway()}; don't write them);</li>
 * <li>neighbours: one entry per (device, address).</li>
 * </ul>
 */
public final class NetFile {
    private NetFile() {
    }

    /** Parses FILE; errors name it DISPLAYNAME. A file that cannot be read is a NetFileException too. */
    public static NetConfig parse(Path file, String displayName) throws NetFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NetFileException(displayName, 0, "cannot read: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "No such file or directory" : e instanceof java.nio.file.AccessDeniedException
                    ? "Permission denied" : String.valueOf(e.getMessage())));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NetFileException(displayName, 0, "not valid UTF-8 text");
        }
        return parse(text, displayName);
    }

    /** Parses TEXT, the content of a NET file called DISPLAYNAME. */
    public static NetConfig parse(String text, String displayName) throws NetFileException {
        Parser p = new Parser(displayName);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            p.line(i + 1, lines[i]);
        }
        return p.config;
    }

    /** Per-link state needed to validate later lines. */
    private static final class Link {
        final NetDevice.Builder b;
        final int mtu;
        final boolean loopback;
        final boolean vlan;
        final Set<Integer> vlanIds = new HashSet<>();

        Link(NetDevice.Builder b, int mtu, boolean loopback, boolean vlan) {
            this.b = b;
            this.mtu = mtu;
            this.loopback = loopback;
            this.vlan = vlan;
        }

        boolean ipv6() {
            return loopback || mtu >= NetDevice.IPV6_MIN_MTU;
        }
    }

    private static final class Fail extends Exception {
        private static final long serialVersionUID = 1L;

        Fail(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final class Parser {
        final String file;
        final NetConfig config;
        final Map<String, Link> links = new HashMap<>();

        Parser(String file) {
            this.file = file;
            this.config = new NetConfig(file);
            Link lo = new Link(config.lo, 65536, true, false);
            links.put(NetDevice.LOOPBACK_NAME, lo);
            config.localEvents.add(new NetConfig.LocalEvent("lo", NetConfig.LocalEvent.ADDR4, 0x7f000001, 0, 0, 8));
            config.localEvents.add(new NetConfig.LocalEvent("lo", NetConfig.LocalEvent.ADDR6, 0, 0, 1, 128));
        }

        void line(int no, String raw) throws NetFileException {
            int hash = raw.indexOf('#');
            String s = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (s.isEmpty()) {
                return;
            }
            String[] t = s.split("[ \\t\\r\\f\\u000b]+");
            try {
                command(t);
            } catch (Fail f) {
                throw new NetFileException(file, no, f.getMessage());
            }
        }

        void command(String[] t) throws Fail {
            String what = switch (t[0]) {
                case "link" -> "link";
                case "addr", "address" -> "addr";
                case "route" -> "route";
                case "neigh", "neighbor", "neighbour" -> "neigh";
                default -> throw new Fail("unknown command \"" + t[0] + "\" (expected link, addr, route or neigh)");
            };
            if (t.length < 2) {
                throw new Fail("\"" + t[0] + "\" needs \"add\"");
            }
            if (!t[1].equals("add")) {
                throw new Fail("unsupported command \"" + t[0] + " " + t[1] + "\" (only \"add\")");
            }
            switch (what) {
                case "link" -> link(t);
                case "addr" -> addr(t);
                case "route" -> route(t);
                default -> neigh(t);
            }
        }

        // ------------------------------------------------------------ link

        void link(String[] t) throws Fail {
            if (t.length < 3) {
                throw new Fail("missing link name");
            }
            if (t[2].equals("link")) {
                vlan(t);
                return;
            }
            Map<String, String> kv;
            String name;
            if (t[2].equals("name")) {
                if (t.length < 4) {
                    throw new Fail("missing value after \"name\"");
                }
                name = t[3];
                kv = options(t, 4, "address", "mtu");
            } else {
                name = t[2];
                kv = options(t, 3, "address", "mtu");
            }
            checkNewName(name);
            String macText = kv.get("address");
            if (macText == null) {
                throw new Fail("missing \"address MAC\" for link " + name);
            }
            long mac = mac(macText);
            if ((mac & 0x0100_0000_0000L) != 0) {
                throw new Fail("MAC address " + macText + " is a multicast address");
            }
            if (mac == 0) {
                throw new Fail("MAC address " + macText + " is all zeros");
            }
            int mtu = kv.containsKey("mtu") ? mtu(kv.get("mtu")) : 1500;
            NetDevice.Builder b = new NetDevice.Builder(name, mac).mtu(mtu);
            addLink(new Link(b, mtu, false, false));
        }

        void vlan(String[] t) throws Fail {
            if (t.length < 4) {
                throw new Fail("missing value after \"link\"");
            }
            String parentName = t[3];
            Map<String, String> kv = options(t, 4, "name", "type", "id", "mtu");
            String name = kv.get("name");
            if (name == null) {
                throw new Fail("missing \"name NAME\"");
            }
            String type = kv.get("type");
            if (type == null) {
                throw new Fail("missing \"type vlan\"");
            }
            if (!type.equals("vlan")) {
                throw new Fail("unsupported link type \"" + type + "\" (only vlan)");
            }
            String idText = kv.get("id");
            if (idText == null) {
                throw new Fail("missing \"id N\"");
            }
            Link parent = device(parentName);
            checkNewName(name);
            long id = number(idText, "vlan id");
            if (id < 1 || id > 4094) {
                throw new Fail("vlan id " + id + " out of range 1..4094");
            }
            if (parent.loopback) {
                throw new Fail("cannot add a vlan to lo");
            }
            if (parent.vlan) {
                throw new Fail("parent " + parentName + " is a vlan: stacked vlans are not supported");
            }
            if (!parent.vlanIds.add((int) id)) {
                throw new Fail("vlan id " + id + " exists already on " + parentName);
            }
            int mtu = parent.mtu;
            if (kv.containsKey("mtu")) {
                mtu = mtu(kv.get("mtu"));
                if (mtu > parent.mtu) {
                    throw new Fail("mtu " + mtu + " exceeds parent " + parentName + "'s mtu " + parent.mtu);
                }
            }
            NetDevice.Builder b = new NetDevice.Builder(name, parent.b.mac).mtu(mtu).vlan(parentName, (int) id);
            addLink(new Link(b, mtu, false, true));
        }

        void addLink(Link l) {
            links.put(l.b.name(), l);
            config.links.add(l.b);
            if (l.ipv6()) {
                config.routes.add(spec6(Inet.LINK_LOCAL_HI, 0, 64, l.b.name(), false, 0, 0,
                        Route.IPV6_KERNEL_METRIC, true));
                config.localEvents.add(new NetConfig.LocalEvent(l.b.name(), NetConfig.LocalEvent.LINK6, 0, 0, 0, 64));
            }
        }

        void checkNewName(String name) throws Fail {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 15 || name.equals(".") || name.equals("..")) {
                throw new Fail("invalid interface name \"" + name + "\" (1 to 15 bytes, not \".\" or \"..\")");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '/' || c == ':' || c == '%' || Character.isWhitespace(c)) {
                    throw new Fail("invalid interface name \"" + name + "\" (no '/', ':', '%' or whitespace)");
                }
            }
            if (links.containsKey(name)) {
                throw new Fail("duplicate link name \"" + name + "\"");
            }
        }

        int mtu(String s) throws Fail {
            long v = number(s, "mtu");
            if (v < 68 || v > 65535) {
                throw new Fail("mtu " + v + " out of range 68..65535");
            }
            return (int) v;
        }

        // ------------------------------------------------------------ addr

        void addr(String[] t) throws Fail {
            if (t.length < 3) {
                throw new Fail("missing address");
            }
            Map<String, String> kv = options(t, 3, "dev");
            String devName = required(kv, "dev");
            Link dev = device(devName);
            String a = t[2];
            int slash = a.indexOf('/');
            String addrText = slash < 0 ? a : a.substring(0, slash);
            if (Inet.looksLikeIpv6(addrText)) {
                long[] v = ipv6(addrText);
                int plen = slash < 0 ? 128 : plen(a.substring(slash + 1), 128);
                if (!dev.ipv6()) {
                    throw new Fail(devName + " has no IPv6: mtu " + dev.mtu + " is below 1280");
                }
                for (long[] x : dev.b.v6) {
                    if (x[0] == v[0] && x[1] == v[1]) {
                        throw new Fail("address " + Inet.format6(v[0], v[1]) + " exists already on " + devName);
                    }
                }
                if (v[0] == Inet.LINK_LOCAL_HI && v[1] == Inet.eui64(dev.b.mac) && !dev.loopback) {
                    throw new Fail("address " + Inet.format6(v[0], v[1]) + " exists already on " + devName
                            + " (its link-local address)");
                }
                dev.b.addIpv6(v[0], v[1], plen);
                config.localEvents.add(new NetConfig.LocalEvent(devName, NetConfig.LocalEvent.ADDR6, 0, v[0], v[1], plen));
                addConnected(spec6(v[0] & Inet.mask6Hi(plen), v[1] & Inet.mask6Lo(plen), plen, devName, false,
                        0, 0, Route.IPV6_KERNEL_METRIC, true));
            } else {
                int v = ipv4(addrText);
                int plen = slash < 0 ? 32 : plen(a.substring(slash + 1), 32);
                for (int[] x : dev.b.v4) {
                    if (x[0] == v && x[1] == plen) {
                        throw new Fail("address " + Inet.format4(v) + "/" + plen + " exists already on " + devName);
                    }
                }
                dev.b.addIpv4(v, plen);
                config.localEvents.add(new NetConfig.LocalEvent(devName, NetConfig.LocalEvent.ADDR4, v, 0, 0, plen));
                int prefix = v & Inet.mask4(plen);
                if (!dev.loopback && (prefix >>> 24) != 0 && !(prefix == v && plen == 32)) {
                    addConnected(spec4(prefix, plen, devName, false, 0, 0, true));
                }
            }
        }

        /**
         * Connected routes are appended as Linux does (IPv4: NLM_F_APPEND); an identical one is not repeated.
         * IPv6: none is added when a route of the same prefix and metric through the same device without a
         * gateway exists already, whoever added it (Linux's fib6_add_rt2node finds a duplicate next hop).
         */
        void addConnected(NetConfig.RouteSpec s) {
            for (NetConfig.RouteSpec r : config.routes) {
                if (r.equals(s) || (s.ipv6() && r.samePrefixAndMetric(s) && !r.hasGateway() && r.dev().equals(s.dev()))) {
                    return;
                }
            }
            config.routes.add(s);
        }

        // ------------------------------------------------------------ route

        void route(String[] t) throws Fail {
            if (t.length < 3) {
                throw new Fail("missing prefix");
            }
            Map<String, String> kv = options(t, 3, "via", "dev", "metric");
            String devName = required(kv, "dev");
            Link dev = device(devName);
            String via = kv.get("via");
            String p = t[2];
            boolean ipv6;
            long hi = 0;
            long lo = 0;
            int prefix4 = 0;
            int plen;
            if (p.equals("default")) {
                ipv6 = via != null && Inet.looksLikeIpv6(via);
                plen = 0;
            } else {
                int slash = p.indexOf('/');
                String addrText = slash < 0 ? p : p.substring(0, slash);
                ipv6 = Inet.looksLikeIpv6(addrText);
                if (ipv6) {
                    long[] v = ipv6(addrText);
                    hi = v[0];
                    lo = v[1];
                    plen = slash < 0 ? 128 : plen(p.substring(slash + 1), 128);
                    // Linux clears an IPv6 prefix's host bits silently (IPv4 refuses them)
                    hi &= Inet.mask6Hi(plen);
                    lo &= Inet.mask6Lo(plen);
                } else {
                    prefix4 = ipv4(addrText);
                    plen = slash < 0 ? 32 : plen(p.substring(slash + 1), 32);
                    if ((prefix4 & ~Inet.mask4(plen)) != 0) {
                        throw new Fail("Invalid prefix for given prefix length.");
                    }
                }
            }
            long metric = ipv6 ? Route.IPV6_USER_METRIC : 0;
            if (kv.containsKey("metric")) {
                metric = number(kv.get("metric"), "metric");
                if (metric > 0xFFFF_FFFFL) {
                    throw new Fail("metric " + metric + " out of range 0..4294967295");
                }
                if (ipv6 && metric == 0) {
                    metric = Route.IPV6_USER_METRIC;
                }
            }
            boolean hasGw = via != null;
            int gw4 = 0;
            long gwHi = 0;
            long gwLo = 0;
            if (hasGw) {
                if (Inet.looksLikeIpv6(via) != ipv6) {
                    throw new Fail("gateway " + via + " is not an " + (ipv6 ? "IPv6" : "IPv4") + " address");
                }
                if (ipv6) {
                    if (!dev.ipv6()) {
                        throw new Fail(devName + " has no IPv6: mtu " + dev.mtu + " is below 1280");
                    }
                    long[] g = ipv6(via);
                    gwHi = g[0];
                    gwLo = g[1];
                    checkGateway6(gwHi, gwLo, devName);
                    if (dev.loopback) {
                        throw new Fail("Egress device can not be loopback device for this route.");
                    }
                } else {
                    gw4 = ipv4(via);
                    checkGateway4(gw4, devName);
                }
            } else if (ipv6 && !dev.ipv6()) {
                throw new Fail(devName + " has no IPv6: mtu " + dev.mtu + " is below 1280");
            }
            NetConfig.RouteSpec s = ipv6
                    ? spec6(hi, lo, plen, devName, hasGw, gwHi, gwLo, (int) metric, false)
                    : spec4(prefix4, plen, devName, hasGw, gw4, (int) metric, false);
            for (NetConfig.RouteSpec r : config.routes) {
                if (r.samePrefixAndMetric(s)) {
                    throw new Fail("route " + p + " metric " + Integer.toUnsignedString((int) metric)
                            + " exists already (dev " + r.dev() + "): File exists");
                }
            }
            config.routes.add(s);
        }

        /**
         * As Linux's fib_check_nh_v4_gw: the longest-prefix match for GW among the routes on the device
         * without a gateway (scope link or host: connected and static device routes, and the local table's
         * entries of the device's addresses) must exist and be UNICAST or LOCAL (not BROADCAST). So a local
         * gateway is accepted, as Linux does.
         */
        void checkGateway4(int gw, String devName) throws Fail {
            int bestLen = -1;
            boolean broadcast = false;
            for (NetConfig.RouteSpec r : config.routes) {
                if (!r.hasGateway() && r.dev().equals(devName) && r.covers4(gw) && r.plen() > bestLen) {
                    bestLen = r.plen();
                }
            }
            Link l = links.get(devName);
            for (int[] a : l.b.v4) {
                int mask = Inet.mask4(a[1]);
                int prefix = a[0] & mask;
                if (a[0] == gw && bestLen < 32) {
                    bestLen = 32;
                    broadcast = false;
                }
                if ((prefix >>> 24) == 0 || (prefix == a[0] && a[1] == 32)) {
                    continue;
                }
                if (l.loopback && Inet.inPrefix4(gw, prefix, a[1]) && a[1] > bestLen) {
                    bestLen = a[1];
                    broadcast = false;
                }
                if (a[1] < 31 && gw == (a[0] | ~mask) && bestLen < 32) {
                    bestLen = 32;
                    broadcast = true;
                }
            }
            if (bestLen < 0 || broadcast) {
                throw new Fail("Nexthop has invalid gateway.");
            }
        }

        /**
         * As Linux's ip6_validate_gw: not a local address; unless link-local, the longest-prefix match for
         * GW among the main-table routes on the device must exist and have no gateway itself.
         */
        void checkGateway6(long hi, long lo, String devName) throws Fail {
            for (Link l : links.values()) {
                for (long[] a : l.b.v6) {
                    if (a[0] == hi && a[1] == lo) {
                        throw new Fail("Gateway can not be a local address.");
                    }
                }
                if (!l.loopback && l.ipv6() && hi == Inet.LINK_LOCAL_HI && lo == Inet.eui64(l.b.mac)) {
                    throw new Fail("Gateway can not be a local address.");
                }
            }
            if (Inet.isLinkLocal6(hi)) {
                return;
            }
            NetConfig.RouteSpec best = null;
            for (NetConfig.RouteSpec r : config.routes) {
                if (r.dev().equals(devName) && r.covers6(hi, lo)
                        && (best == null || r.plen() > best.plen()
                            || (r.plen() == best.plen() && Integer.compareUnsigned(r.metric(), best.metric()) < 0))) {
                    best = r;
                }
            }
            if (best == null || best.hasGateway()) {
                throw new Fail("Nexthop has invalid gateway.");
            }
        }

        // ------------------------------------------------------------ neigh

        void neigh(String[] t) throws Fail {
            if (t.length < 3) {
                throw new Fail("missing address");
            }
            Map<String, String> kv = options(t, 3, "lladdr", "dev");
            String devName = required(kv, "dev");
            String ll = required(kv, "lladdr");
            Link dev = device(devName);
            long mac = mac(ll);
            NetConfig.NeighSpec n;
            if (Inet.looksLikeIpv6(t[2])) {
                long[] v = ipv6(t[2]);
                if (!dev.ipv6()) {
                    throw new Fail(devName + " has no IPv6: mtu " + dev.mtu + " is below 1280");
                }
                n = new NetConfig.NeighSpec(true, devName, 0, v[0], v[1], mac);
            } else {
                n = new NetConfig.NeighSpec(false, devName, ipv4(t[2]), 0, 0, mac);
            }
            for (NetConfig.NeighSpec o : config.neighs) {
                if (o.ipv6() == n.ipv6() && o.dev().equals(devName) && o.addr4() == n.addr4() && o.hi() == n.hi()
                        && o.lo() == n.lo()) {
                    throw new Fail("neighbour " + t[2] + " dev " + devName + " exists already: File exists");
                }
            }
            config.neighs.add(n);
        }

        // ------------------------------------------------------------ helpers

        static NetConfig.RouteSpec spec4(int prefix, int plen, String dev, boolean hasGw, int gw, int metric,
                                         boolean kernel) {
            return new NetConfig.RouteSpec(false, prefix, 0, 0, plen, dev, hasGw, gw, 0, 0, metric, kernel);
        }

        static NetConfig.RouteSpec spec6(long hi, long lo, int plen, String dev, boolean hasGw, long gwHi,
                                         long gwLo, int metric, boolean kernel) {
            return new NetConfig.RouteSpec(true, 0, hi, lo, plen, dev, hasGw, 0, gwHi, gwLo, metric, kernel);
        }

        Link device(String name) throws Fail {
            Link l = links.get(name);
            if (l == null) {
                throw new Fail("Cannot find device \"" + name + "\"");
            }
            return l;
        }

        static Map<String, String> options(String[] t, int from, String... allowed) throws Fail {
            Map<String, String> kv = new LinkedHashMap<>();
            List<String> ok = List.of(allowed);
            for (int i = from; i < t.length; i += 2) {
                String k = t[i];
                if (!ok.contains(k)) {
                    throw new Fail("unexpected word \"" + k + "\" (expected one of " + String.join(", ", ok) + ")");
                }
                if (i + 1 >= t.length) {
                    throw new Fail("missing value after \"" + k + "\"");
                }
                if (kv.put(k, t[i + 1]) != null) {
                    throw new Fail("\"" + k + "\" given twice");
                }
            }
            return kv;
        }

        static String required(Map<String, String> kv, String key) throws Fail {
            String v = kv.get(key);
            if (v == null) {
                throw new Fail("missing \"" + key + "\"");
            }
            return v;
        }

        static long number(String s, String what) throws Fail {
            if (s.isEmpty() || s.length() > 12) {
                throw new Fail("invalid " + what + " \"" + s + "\"");
            }
            long v = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    throw new Fail("invalid " + what + " \"" + s + "\"");
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        static int plen(String s, int max) throws Fail {
            long v;
            try {
                v = number(s, "prefix length");
            } catch (Fail f) {
                throw new Fail("invalid prefix length \"" + s + "\"");
            }
            if (v > max) {
                throw new Fail("invalid prefix length \"" + s + "\" (0.." + max + ")");
            }
            return (int) v;
        }

        static int ipv4(String s) throws Fail {
            try {
                return Inet.parse4(s);
            } catch (IllegalArgumentException e) {
                throw new Fail(e.getMessage());
            }
        }

        static long[] ipv6(String s) throws Fail {
            try {
                return Inet.parse6(s);
            } catch (IllegalArgumentException e) {
                throw new Fail(e.getMessage());
            }
        }

        static long mac(String s) throws Fail {
            try {
                return Inet.parseMac(s);
            } catch (IllegalArgumentException e) {
                throw new Fail(e.getMessage());
            }
        }
    }
}
