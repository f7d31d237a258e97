package org.jnft.io.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jnft.packet.Addresses;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * NETLINK_ROUTE over FFM: dumps of links, addresses and main-table routes as plain records, and change
 * notifications (RTMGRP_*) read without blocking. The socket belongs to the network namespace of the
 * thread that opened it (see {@link NetNamespace}). Control plane only: this allocates freely. Not
 * thread-safe.
 */
public final class RtNetlink implements AutoCloseable {
    /** An IPv4 ({@code family == AF_INET}, address in the low 32 bits of {@code lo}) or IPv6 address. */
    public record IpAddress(int family, long hi, long lo) {
        public static IpAddress v4(int addr) {
            return new IpAddress(AF_INET, 0, addr & 0xffffffffL);
        }

        public boolean isV4() {
            return family == AF_INET;
        }

        /** The IPv4 address as jnft holds it (network order read big-endian). */
        public int ipv4() {
            return (int) lo;
        }

        @Override
        public String toString() {
            return isV4() ? Addresses.formatIpv4((int) lo) : Addresses.formatIpv6(hi, lo);
        }
    }

    /**
     * A link: {@code flags} are the IFF_* flags; {@code up} is IFF_UP, {@code lowerUp} IFF_LOWER_UP;
     * {@code operState} the RFC 2863 state (6 = up); {@code kind} the IFLA_INFO_KIND ("veth", "vlan", ...)
     * or null; for a VLAN, {@code vlanId} (else -1) and the parent's index in {@code parentIndex} (IFLA_LINK,
     * 0 when none or in another namespace).
     */
    public record Link(int index, String name, long mac, int mtu, int flags, boolean up, boolean lowerUp,
                       int operState, int hwType, String kind, int vlanId, int parentIndex) {
    }

    /** An interface address; {@code scope} 0 universe, 253 link, 254 host; {@code flags} IFA_F_*. */
    public record Address(int index, IpAddress address, int prefixLength, int scope, int flags, String label) {
    }

    /**
     * A route of the main table: {@code dst}/{@code dstLen} (0.0.0.0/0 or ::/0 for default), {@code gateway}
     * or null, output interface index (0 if none), {@code metric} (RTA_PRIORITY, 0 when absent),
     * {@code type} RTN_* (1 unicast, 6 blackhole, 7 unreachable, 8 prohibit, ...), {@code protocol}
     * RTPROT_* (2 kernel, 3 boot, 4 static), {@code scope}, {@code prefSrc} or null.
     */
    public record Route(int family, IpAddress dst, int dstLen, IpAddress gateway, int oif, int metric, int type,
                        int protocol, int scope, IpAddress prefSrc) {
        public boolean isDefault() {
            return dstLen == 0;
        }
    }

    /** A change notification. */
    public sealed interface Event permits LinkEvent, AddressEvent, RouteEvent, Overrun {
        /** True for RTM_DEL*: the object is gone. */
        boolean removed();
    }

    public record LinkEvent(boolean removed, Link link) implements Event {
    }

    public record AddressEvent(boolean removed, Address address) implements Event {
    }

    public record RouteEvent(boolean removed, Route route) implements Event {
    }

    /** Notifications were lost (the socket's queue overflowed, ENOBUFS): dump links, addresses, routes again. */
    public record Overrun() implements Event {
        @Override
        public boolean removed() {
            return false;
        }
    }

    public static final int AF_INET = 2, AF_INET6 = 10;
    /** Multicast groups (linux/rtnetlink.h) for {@link #subscribe}. */
    public static final int RTMGRP_LINK = 0x1, RTMGRP_IPV4_IFADDR = 0x10, RTMGRP_IPV4_ROUTE = 0x40,
            RTMGRP_IPV6_IFADDR = 0x100, RTMGRP_IPV6_ROUTE = 0x400;
    public static final int ALL_GROUPS = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR
            | RTMGRP_IPV6_ROUTE;
    public static final int RT_TABLE_MAIN = 254;

    private static final int NETLINK_ROUTE = 0;
    private static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 1, NLM_F_DUMP = 0x300;
    private static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_NEWADDR = 20,
            RTM_DELADDR = 21, RTM_GETADDR = 22, RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    private static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_OPERSTATE = 16,
            IFLA_LINKINFO = 18, IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, IFLA_VLAN_ID = 1;
    private static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_FLAGS = 8;
    private static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7,
            RTA_TABLE = 15;
    private static final int RTM_F_CLONED = 0x200;
    private static final int IFF_UP = 1, IFF_LOWER_UP = 0x10000;
    private static final int BUF = 1 << 18;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment err = Libc.newErrnoState(arena);
    private final MemorySegment buf = arena.allocate(BUF, 8);
    private final int fd;
    private int seq = (int) (System.nanoTime() & 0xffff) << 8;
    private boolean closed;

    private RtNetlink(int groups) throws NativeException {
        fd = Libc.socket(err, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            int e = Libc.errno(err);
            arena.close();
            throw new NativeException("socket(AF_NETLINK, NETLINK_ROUTE)", e);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment nl = a.allocate(12, 4); // struct sockaddr_nl
            nl.set(JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            nl.set(JAVA_INT, 8, groups);
            if (Libc.bind(err, fd, nl, 12) != 0) {
                int e = Libc.errno(err);
                close();
                throw new NativeException("bind(AF_NETLINK, groups 0x" + Integer.toHexString(groups) + ")", e);
            }
        }
    }

    /** A socket for dumps, in the calling thread's network namespace. */
    public static RtNetlink open() throws NativeException {
        return new RtNetlink(0);
    }

    /** A socket that also receives the given RTMGRP_* notifications, for {@link #poll}. */
    public static RtNetlink subscribe(int groups) throws NativeException {
        return new RtNetlink(groups);
    }

    /** The socket's descriptor (readable when notifications wait), for {@link LinkPoller}. */
    public int fd() {
        return fd;
    }

    /** Every link (RTM_GETLINK dump). */
    public List<Link> links() throws NativeException {
        List<Link> out = new ArrayList<>();
        dump(RTM_GETLINK, 0, 16, "RTM_GETLINK", (type, p, len) -> out.add(parseLink(p, len)));
        return out;
    }

    /** Every IPv4 and IPv6 address (RTM_GETADDR dumps). */
    public List<Address> addresses() throws NativeException {
        List<Address> out = new ArrayList<>();
        for (int family : new int[] {AF_INET, AF_INET6}) {
            dump(RTM_GETADDR, family, 8, "RTM_GETADDR", (type, p, len) -> out.add(parseAddress(p, len)));
        }
        return out;
    }

    /** IPv4 and IPv6 routes of the main table (cached clones left out). */
    public List<Route> routes() throws NativeException {
        List<Route> out = new ArrayList<>();
        for (int family : new int[] {AF_INET, AF_INET6}) {
            dump(RTM_GETROUTE, family, 12, "RTM_GETROUTE", (type, p, len) -> {
                Route r = parseRoute(p, len, true);
                if (r != null) {
                    out.add(r);
                }
            });
        }
        return out;
    }

    /**
     * Reads the notifications waiting on a {@link #subscribe}d socket without blocking (an empty list
     * when none). Routes of tables other than main are left out. Linux sends no RTM_DELROUTE for the IPv4
     * routes it flushes when a device goes down or away, nor when an address goes: on such link and
     * address events, dump the routes again.
     */
    public List<Event> poll() throws NativeException {
        List<Event> out = new ArrayList<>();
        while (true) {
            long n = Libc.recv(err, fd, buf, BUF, Libc.MSG_DONTWAIT);
            if (n < 0) {
                int e = Libc.errno(err);
                if (e == Errno.EAGAIN || e == Errno.EINTR) {
                    return out;
                }
                if (e == Errno.ENOBUFS) {
                    out.add(new Overrun());
                    continue;
                }
                throw new NativeException("recv(NETLINK_ROUTE)", e);
            }
            forEachMessage(n, (type, p, len) -> {
                switch (type) {
                    case RTM_NEWLINK, RTM_DELLINK -> out.add(new LinkEvent(type == RTM_DELLINK, parseLink(p, len)));
                    case RTM_NEWADDR, RTM_DELADDR ->
                            out.add(new AddressEvent(type == RTM_DELADDR, parseAddress(p, len)));
                    case RTM_NEWROUTE, RTM_DELROUTE -> {
                        Route r = parseRoute(p, len, true);
                        if (r != null) {
                            out.add(new RouteEvent(type == RTM_DELROUTE, r));
                        }
                    }
                    default -> {
                    }
                }
                return true;
            });
        }
    }

    @FunctionalInterface
    private interface Payload {
        void accept(int type, long payload, int length);
    }

    @FunctionalInterface
    private interface Message {
        /** False to stop. */
        boolean accept(int type, long payload, int length) throws NativeException;
    }

    private void dump(int type, int family, int hdrLen, String what, Payload each) throws NativeException {
        int s = ++seq;
        buf.fill((byte) 0);
        int len = 16 + hdrLen;
        buf.set(JAVA_INT, 0, len);
        buf.set(JAVA_SHORT, 4, (short) type);
        buf.set(JAVA_SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));
        buf.set(JAVA_INT, 8, s);
        buf.set(JAVA_BYTE, 16, (byte) family);
        if (Libc.sendto(err, fd, buf, len, 0, MemorySegment.NULL, 0) < 0) {
            throw new NativeException("sendto(" + what + ")", Libc.errno(err));
        }
        boolean[] done = {false};
        while (!done[0]) {
            long n = Libc.recv(err, fd, buf, BUF, 0);
            if (n < 0) {
                int e = Libc.errno(err);
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new NativeException("recv(" + what + ")", e);
            }
            forEachMessage(n, (t, p, l) -> {
                if (buf.get(JAVA_INT, p - 16 + 8) != s) {
                    return true; // a notification or a stale answer
                }
                if (t == NLMSG_DONE) {
                    done[0] = true;
                    return false;
                }
                if (t == NLMSG_ERROR) {
                    int e = -buf.get(JAVA_INT, p);
                    if (e == 0) {
                        done[0] = true;
                        return false;
                    }
                    throw new NativeException(what, e);
                }
                each.accept(t, p, l);
                return true;
            });
        }
    }

    private void forEachMessage(long n, Message m) throws NativeException {
        long off = 0;
        while (off + 16 <= n) {
            int len = buf.get(JAVA_INT, off);
            if (len < 16 || off + len > n) {
                break;
            }
            int type = buf.get(JAVA_SHORT, off + 4) & 0xffff;
            if (!m.accept(type, off + 16, len - 16)) {
                return;
            }
            off += (len + 3) & ~3;
        }
    }

    private int u8(long p) {
        return buf.get(JAVA_BYTE, p) & 0xff;
    }

    private int u16(long p) {
        return buf.get(JAVA_SHORT, p) & 0xffff;
    }

    private String string(long p, int len) {
        int n = 0;
        while (n < len && buf.get(JAVA_BYTE, p + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        MemorySegment.copy(buf, JAVA_BYTE, p, b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }

    private IpAddress ip(int family, long p, int len) {
        if (family == AF_INET && len >= 4) {
            return IpAddress.v4(buf.get(Libc.BE_INT, p));
        }
        if (family == AF_INET6 && len >= 16) {
            return new IpAddress(AF_INET6, buf.get(Libc.BE_LONG, p), buf.get(Libc.BE_LONG, p + 8));
        }
        return null;
    }

    /** Walks the attributes in [p, p+len): calls back with (type without flag bits, data, data length). */
    private void attrs(long p, int len, Payload each) {
        long end = p + len;
        while (p + 4 <= end) {
            int alen = u16(p);
            if (alen < 4 || p + alen > end) {
                return;
            }
            each.accept(u16(p + 2) & 0x3fff, p + 4, alen - 4);
            p += (alen + 3) & ~3;
        }
    }

    private Link parseLink(long p, int len) {
        int hwType = u16(p + 2);
        int index = buf.get(JAVA_INT, p + 4);
        int flags = buf.get(JAVA_INT, p + 8);
        String[] name = {null};
        String[] kind = {null};
        long[] mac = {0};
        int[] ints = {0, 0, 0, -1}; // mtu, parent, operstate, vlan id
        attrs(p + 16, len - 16, (t, d, l) -> {
            switch (t) {
                case IFLA_IFNAME -> name[0] = string(d, l);
                case IFLA_ADDRESS -> {
                    if (l == 6) {
                        long m = 0;
                        for (int i = 0; i < 6; i++) {
                            m = (m << 8) | u8(d + i);
                        }
                        mac[0] = m;
                    }
                }
                case IFLA_MTU -> ints[0] = buf.get(JAVA_INT, d);
                case IFLA_LINK -> ints[1] = buf.get(JAVA_INT, d);
                case IFLA_OPERSTATE -> ints[2] = u8(d);
                case IFLA_LINKINFO -> attrs(d, l, (t2, d2, l2) -> {
                    if (t2 == IFLA_INFO_KIND) {
                        kind[0] = string(d2, l2);
                    } else if (t2 == IFLA_INFO_DATA) {
                        attrs(d2, l2, (t3, d3, l3) -> {
                            if (t3 == IFLA_VLAN_ID && l3 >= 2) {
                                ints[3] = u16(d3);
                            }
                        });
                    }
                });
                default -> {
                }
            }
        });
        int vlan = "vlan".equals(kind[0]) ? ints[3] : -1;
        return new Link(index, name[0], mac[0], ints[0], flags, (flags & IFF_UP) != 0, (flags & IFF_LOWER_UP) != 0,
                ints[2], hwType, kind[0], vlan, ints[1]);
    }

    private Address parseAddress(long p, int len) {
        int family = u8(p);
        int plen = u8(p + 1);
        int[] flags = {u8(p + 2)};
        int scope = u8(p + 3);
        int index = buf.get(JAVA_INT, p + 4);
        IpAddress[] a = {null, null}; // IFA_ADDRESS, IFA_LOCAL
        String[] label = {null};
        attrs(p + 8, len - 8, (t, d, l) -> {
            switch (t) {
                case IFA_ADDRESS -> a[0] = ip(family, d, l);
                case IFA_LOCAL -> a[1] = ip(family, d, l);
                case IFA_LABEL -> label[0] = string(d, l);
                case IFA_FLAGS -> flags[0] = buf.get(JAVA_INT, d);
                default -> {
                }
            }
        });
        return new Address(index, a[1] != null ? a[1] : a[0], plen, scope, flags[0], label[0]);
    }

    private Route parseRoute(long p, int len, boolean mainOnly) {
        int family = u8(p);
        int dstLen = u8(p + 1);
        int[] table = {u8(p + 4)};
        int protocol = u8(p + 5);
        int scope = u8(p + 6);
        int type = u8(p + 7);
        int rflags = buf.get(JAVA_INT, p + 8);
        IpAddress[] a = {null, null, null}; // dst, gateway, prefsrc
        int[] ints = {0, 0}; // oif, metric
        attrs(p + 12, len - 12, (t, d, l) -> {
            switch (t) {
                case RTA_DST -> a[0] = ip(family, d, l);
                case RTA_GATEWAY -> a[1] = ip(family, d, l);
                case RTA_PREFSRC -> a[2] = ip(family, d, l);
                case RTA_OIF -> ints[0] = buf.get(JAVA_INT, d);
                case RTA_PRIORITY -> ints[1] = buf.get(JAVA_INT, d);
                case RTA_TABLE -> table[0] = buf.get(JAVA_INT, d);
                default -> {
                }
            }
        });
        if ((mainOnly && table[0] != RT_TABLE_MAIN) || (rflags & RTM_F_CLONED) != 0
                || (family != AF_INET && family != AF_INET6)) {
            return null;
        }
        IpAddress dst = a[0] != null ? a[0] : family == AF_INET ? IpAddress.v4(0) : new IpAddress(AF_INET6, 0, 0);
        return new Route(family, dst, dstLen, a[1], ints[0], ints[1], type, protocol, scope, a[2]);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(err, fd);
            arena.close();
        }
    }
}
