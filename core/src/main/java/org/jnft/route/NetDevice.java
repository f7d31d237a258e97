package org.jnft.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A network device: immutable configuration and identity. Built with {@link Builder}; the ifindex is given
 * by {@link Devices} (lo is 1, the NET file's links 2, 3, ... in file order).
 *
 * <p>IPv6: every device with IPv6 (lo, and links whose MTU is at least 1280, as Linux, which disables IPv6
 * below that) has its addresses in configuration order; links also have their EUI-64 link-local address
 * fe80::/64 (Linux addrconf: the MAC with the universal/local bit flipped and ff:fe inserted), listed
 * last. A vlan device has its parent's MAC, hence the same link-local address.
 *
 * <p>Queries allocate nothing.
 */
public final class NetDevice {
    /** The loopback device's name. */
    public static final String LOOPBACK_NAME = "lo";
    /** Smallest MTU with which a link has IPv6 (IPV6_MIN_MTU). */
    public static final int IPV6_MIN_MTU = 1280;

    private final String name;
    private final int ifindex;
    private final long mac;
    private final int mtu;
    private final int vlanId;
    private final NetDevice parent;
    private final boolean loopback;
    private final int[] v4;
    private final int[] v4plen;
    private final long[] v6; // hi, lo pairs
    private final int[] v6plen;
    private final long llHi;
    private final long llLo;

    private NetDevice(Builder b, int ifindex, NetDevice parent) {
        this.name = b.name;
        this.ifindex = ifindex;
        this.parent = parent;
        this.mac = parent != null ? parent.mac : b.mac;
        this.mtu = b.mtu != 0 ? b.mtu : parent != null ? parent.mtu : 1500;
        this.vlanId = b.vlanId;
        this.loopback = b.loopback;
        this.v4 = b.v4.stream().mapToInt(a -> a[0]).toArray();
        this.v4plen = b.v4.stream().mapToInt(a -> a[1]).toArray();
        boolean ipv6 = loopback || mtu >= IPV6_MIN_MTU;
        List<long[]> six = new ArrayList<>(ipv6 ? b.v6 : List.of());
        if (ipv6 && !loopback) {
            llHi = Inet.LINK_LOCAL_HI;
            llLo = Inet.eui64(mac);
            six.add(new long[] {llHi, llLo, 64});
        } else {
            llHi = 0;
            llLo = 0;
        }
        this.v6 = new long[six.size() * 2];
        this.v6plen = new int[six.size()];
        for (int i = 0; i < six.size(); i++) {
            v6[2 * i] = six.get(i)[0];
            v6[2 * i + 1] = six.get(i)[1];
            v6plen[i] = (int) six.get(i)[2];
        }
    }

    public String name() {
        return name;
    }

    public int ifindex() {
        return ifindex;
    }

    /** The device's MAC (a vlan device has its parent's). 0 for lo. */
    public long mac() {
        return mac;
    }

    public int mtu() {
        return mtu;
    }

    /** 802.1Q VLAN id, 0 if this is not a vlan device. */
    public int vlanId() {
        return vlanId;
    }

    /** The lower device of a vlan device, else null. */
    public NetDevice parent() {
        return parent;
    }

    public boolean isLoopback() {
        return loopback;
    }

    public boolean isVlan() {
        return vlanId != 0;
    }

    /** True when the device has IPv6 (lo, or an MTU of at least 1280). */
    public boolean hasIpv6() {
        return loopback || mtu >= IPV6_MIN_MTU;
    }

    // ------------------------------------------------------------ IPv4

    /** A copy of the IPv4 addresses, in configuration order. */
    public int[] ipv4Addresses() {
        return v4.clone();
    }

    /** A copy of the IPv4 prefix lengths, parallel to {@link #ipv4Addresses()}. */
    public int[] ipv4PrefixLengths() {
        return v4plen.clone();
    }

    public int ipv4Count() {
        return v4.length;
    }

    public int ipv4Address(int i) {
        return v4[i];
    }

    public int ipv4PrefixLength(int i) {
        return v4plen[i];
    }

    public boolean hasIpv4(int addr) {
        for (int a : v4) {
            if (a == addr) {
                return true;
            }
        }
        return false;
    }

    /** The first IPv4 address, 0 if none. */
    public int primaryIpv4() {
        return v4.length == 0 ? 0 : v4[0];
    }

    /**
     * Source address for a packet to DST sent on this device, as Linux's inet_select_addr: the first address
     * whose subnet contains DST, else the primary address (0 if the device has no IPv4 address).
     */
    public int ipv4SourceFor(int dst) {
        for (int i = 0; i < v4.length; i++) {
            if (Inet.inPrefix4(dst, v4[i], v4plen[i])) {
                return v4[i];
            }
        }
        return primaryIpv4();
    }

    // ------------------------------------------------------------ IPv6

    /** A copy of the IPv6 addresses as (hi, lo) pairs: element 2i is address i's hi, 2i+1 its lo. */
    public long[] ipv6Addresses() {
        return v6.clone();
    }

    /** A copy of the IPv6 prefix lengths, parallel to the pairs of {@link #ipv6Addresses()}. */
    public int[] ipv6PrefixLengths() {
        return v6plen.clone();
    }

    /** Number of IPv6 addresses, the link-local one included. */
    public int ipv6Count() {
        return v6plen.length;
    }

    public long ipv6Hi(int i) {
        return v6[2 * i];
    }

    public long ipv6Lo(int i) {
        return v6[2 * i + 1];
    }

    public int ipv6PrefixLength(int i) {
        return v6plen[i];
    }

    /** The EUI-64 link-local address's high half (fe80::), 0 when the device has none (lo, small MTU). */
    public long linkLocalHi() {
        return llHi;
    }

    /** The EUI-64 link-local address's low half (the interface identifier). */
    public long linkLocalLo() {
        return llLo;
    }

    public boolean hasIpv6(long hi, long lo) {
        for (int i = 0; i < v6plen.length; i++) {
            if (v6[2 * i] == hi && v6[2 * i + 1] == lo) {
                return true;
            }
        }
        return false;
    }

    /**
     * Source address for a packet to DST sent on this device, written into {@code out[0]} (hi) and
     * {@code out[1]} (lo): for a link-scoped destination (fe80::/10, ff02::/16) the link-local address;
     * otherwise the global address sharing the longest prefix with DST (RFC 6724 rule 8), the first in
     * configuration order among equals; failing that the link-local address (lo: ::1).
     *
     * @return false (and {@code out} untouched) when the device has no usable IPv6 address
     */
    public boolean ipv6SourceFor(long hi, long lo, long[] out) {
        boolean linkScope = Inet.isLinkLocal6(hi) || Inet.isLinkScopedMulticast6(hi);
        if (!linkScope) {
            int best = -1;
            int bestLen = -1;
            for (int i = 0; i < v6plen.length; i++) {
                long ahi = v6[2 * i];
                if (Inet.isLinkLocal6(ahi)) {
                    continue;
                }
                long alo = v6[2 * i + 1];
                int common = ahi == hi ? 64 + Long.numberOfLeadingZeros(alo ^ lo) : Long.numberOfLeadingZeros(ahi ^ hi);
                if (common > bestLen) {
                    best = i;
                    bestLen = common;
                }
            }
            if (best >= 0) {
                out[0] = v6[2 * best];
                out[1] = v6[2 * best + 1];
                return true;
            }
        }
        if (llHi != 0) {
            out[0] = llHi;
            out[1] = llLo;
            return true;
        }
        if (loopback && v6plen.length > 0) {
            out[0] = v6[0];
            out[1] = v6[1];
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return name;
    }

    /** A readable dump, iproute2-like, for diagnostics. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(ifindex).append(": ").append(name);
        if (parent != null) {
            sb.append('@').append(parent.name);
        }
        sb.append(" mtu ").append(mtu).append(" link/").append(loopback ? "loopback " : "ether ")
                .append(Inet.formatMac(mac));
        if (vlanId != 0) {
            sb.append(" vlan id ").append(vlanId);
        }
        for (int i = 0; i < v4.length; i++) {
            sb.append("\n    inet ").append(Inet.format4(v4[i])).append('/').append(v4plen[i]);
        }
        for (int i = 0; i < v6plen.length; i++) {
            sb.append("\n    inet6 ").append(Inet.format6(v6[2 * i], v6[2 * i + 1])).append('/').append(v6plen[i]);
        }
        return sb.toString();
    }

    /**
     * Mutable description of a device, turned into a {@link NetDevice} by {@link Devices#create}. Checks
     * nothing: {@link NetFile} validates its input before building.
     */
    public static final class Builder {
        final String name;
        long mac;
        int mtu;
        int vlanId;
        String parentName;
        boolean loopback;
        int ifindex;
        final List<int[]> v4 = new ArrayList<>();
        final List<long[]> v6 = new ArrayList<>();

        /** An Ethernet link. */
        public Builder(String name, long mac) {
            this.name = name;
            this.mac = mac;
        }

        /** MTU; 0 (the default) means 1500, or the parent's MTU for a vlan. */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** Makes this an 802.1Q sub-interface of the device named PARENT (built earlier) with VLAN id ID. */
        public Builder vlan(String parent, int id) {
            this.parentName = parent;
            this.vlanId = id;
            return this;
        }

        public Builder addIpv4(int addr, int plen) {
            v4.add(new int[] {addr, plen});
            return this;
        }

        public Builder addIpv6(long hi, long lo, int plen) {
            v6.add(new long[] {hi, lo, plen});
            return this;
        }

        public String name() {
            return name;
        }

        /**
         * A fixed interface index (the kernel's, in the daemon); 0, the default, lets {@link Devices} number
         * the links 2, 3, ... in order.
         */
        public Builder ifindex(int ifindex) {
            this.ifindex = ifindex;
            return this;
        }

        static Builder loopback() {
            Builder b = new Builder(LOOPBACK_NAME, 0);
            b.loopback = true;
            b.mtu = 65536;
            b.addIpv4(0x7f000001, 8);
            b.addIpv6(0, 1, 128);
            return b;
        }

        NetDevice build(int ifindex, NetDevice parent) {
            return new NetDevice(this, ifindex, parent);
        }

        @Override
        public String toString() {
            return name + Arrays.asList(mac, mtu, vlanId, parentName);
        }
    }
}
