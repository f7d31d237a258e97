package org.jnft.nat;

import static org.jnft.conntrack.CtConst.*;

import org.jnft.conntrack.Conntrack;
import org.jnft.conntrack.CtEntry;
import org.jnft.conntrack.CtTuple;
import org.jnft.packet.IpProto;

/**
 * The binding half of nf_nat_core: {@code nf_nat_setup_info} with {@code get_unique_tuple},
 * {@code find_best_ips_proto} and {@code nf_nat_l4proto_unique_tuple}, the null binding, masquerade and
 * redirect. One per conntrack table (per namespace), used by the data-plane thread only; no allocation.
 *
 * <h2>Choosing the new tuple (get_unique_tuple)</h2>
 * The tuple worked on is, as in Linux, the inverse of the entry's current reply tuple (the original tuple
 * with any earlier manipulation applied).
 * <ol>
 *   <li>Source NAT without random flags: if the tuple already lies in the range (address, and port when
 *       {@link NatRange#PROTO_SPECIFIED}) and is not used, it is kept; if it does not, the newest existing
 *       source binding of the same inside address and port (Linux's {@code nat_bysource} table,
 *       {@code find_appropriate_src}) is reused when it lies in the range and the resulting tuple is free
 *       (so one inside endpoint keeps one outside endpoint across destinations).</li>
 *   <li>The address: {@code find_best_ips_proto}: one address when min == max; otherwise Linux's hash
 *       {@code jhash2(source address words, initval = last destination word ^ zone)} (initval 0 with
 *       {@link NatRange#PERSISTENT}) scaled into the range word by word. Linux hashes the address words as
 *       they lie in memory, read as host-order u32; jnft reproduces what a little-endian host (x86-64,
 *       arm64) computes, so the same connection gets the same address as under such a kernel.</li>
 *   <li>The port: kept when it is in the range and (the range is one port or the tuple is free), or, without
 *       a port range, when the tuple is free; no random flag may be set for that.</li>
 *   <li>Otherwise {@code nf_nat_l4proto_unique_tuple}: ranges as Linux (ICMP ids 0..65535; without a port
 *       range: DNAT keeps the port, SNAT searches 1..511, 600..1023 or 1024..65535 by the original port's
 *       class); the search starts at {@code min + off % size}, at most 128 attempts, then halves the
 *       attempts with a new offset while at least 16 are left and the range is bigger. Linux draws
 *       {@code off} from {@code get_random_u16()} (or takes the distance to the base port with
 *       {@link NatRange#PROTO_OFFSET}). <b>jnft draws it from a seeded SplitMix64
 *       generator</b> (constructor seed), so runs are reproducible; the set of possible choices is Linux's.
 *       When every attempt fails the last candidate stays (a clash at confirmation, as in Linux).</li>
 * </ol>
 * Modern Linux treats {@link NatRange#PROTO_RANDOM} and {@link NatRange#PROTO_RANDOM_FULLY} alike in
 * this function (both skip step 1 and 3 and start at a random offset); so does jnft.
 *
 * <h2>Deliberate differences</h2>
 * <ul>
 *   <li>The bysource table's bucket hash is jnft's own (Linux: siphash with a boot-time key); only the
 *       order of bindings of one source matters (newest first) and that is Linux's.</li>
 *   <li>{@code nf_nat_used_tuple_new}'s and {@code nf_nat_used_tuple_harder}'s refinements (evicting a
 *       TIME_WAIT entry in the last attempts) are not done: a tuple another entry uses is used.</li>
 *   <li>GRE keys are left alone, as Linux does without the PPTP helper. {@link NatRange#NETMAP} and
 *       helpers (SEQ_ADJUST) are not handled.</li>
 * </ul>
 */
public final class NatCore {
    private static final int DCCP = 33;

    /** Linux's max_attempts of the port search. */
    public static final int MAX_ATTEMPTS = 128;

    private long rnd;

    // the candidate tuple, in original orientation (Linux's new_tuple); for ICMP sp is the id
    private long sh;
    private long sl;
    private long dh;
    private long dl;
    private int sp;
    private int dp;
    private int l3;
    private int proto;
    /** For ICMP/ICMPv6: the reply tuple's type/code word, kept as is in used-tuple checks. */
    private int icmpReplyType;

    private final int[] srcW = new int[4];
    private final int[] dstW = new int[4];
    private final int[] varW = new int[4];
    private final int[] minW = new int[4];
    private final int[] maxW = new int[4];
    private final NatRange scratch = new NatRange();

    public NatCore() {
        this(0x6a6e6674L);
    }

    public NatCore(long seed) {
        rnd = seed;
    }

    // ================================================================ public API

    /** HOOK2MANIP: true (source manipulation) for postrouting and input, false (destination) otherwise. */
    public static boolean hookIsSrcManip(int hook) {
        return hook == HOOK_POST_ROUTING || hook == HOOK_LOCAL_IN;
    }

    /** nf_nat_initialized: the SRC_NAT_DONE / DST_NAT_DONE bit of the manipulation type. */
    public static boolean initialized(CtEntry e, boolean srcNat) {
        return (e.status & (srcNat ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE)) != 0;
    }

    /**
     * nf_nat_setup_info: binds the entry for one manipulation type. Returns true (NF_ACCEPT) or false
     * (NF_DROP, only when the type was already set up). A confirmed entry is left alone (accept), as Linux.
     * On success the reply tuple is altered when the chosen tuple differs (SRC_NAT / DST_NAT set), and
     * SRC_NAT_DONE / DST_NAT_DONE is set in any case.
     */
    public boolean setupInfo(Conntrack ct, CtEntry e, NatRange r, boolean srcNat, long now) {
        if (e.isConfirmed()) {
            return true;
        }
        if (initialized(e, srcNat)) {
            return false;
        }
        loadCurrent(e);
        long oSh = sh, oSl = sl, oDh = dh, oDl = dl;
        int oSp = sp, oDp = dp;
        getUniqueTuple(ct, e, r, srcNat, now);
        if (sh != oSh || sl != oSl || dh != oDh || dl != oDl || sp != oSp || dp != oDp) {
            // reply = invert(new tuple)
            int rsp;
            int rdp;
            if (isIcmp(proto)) {
                rsp = sp;
                rdp = icmpReplyType;
            } else {
                rsp = dp;
                rdp = sp;
            }
            ct.alterReply(e, dh, dl, sh, sl, rsp, rdp, srcNat ? IPS_SRC_NAT : IPS_DST_NAT);
        }
        if (srcNat) {
            bySourceAdd(e, now);
        }
        e.status |= srcNat ? IPS_SRC_NAT_DONE : IPS_DST_NAT_DONE;
        return true;
    }

    /**
     * nf_nat_alloc_null_binding for a hook: the manipulation type of the hook bound to the address the
     * entry already has (the reply's destination for SNAT, its source for DNAT), with {@link NatRange#MAP_IPS}
     * only, so that the port is kept when free and otherwise searched as any binding. Called by the nat hook
     * when no nat rule bound a NEW (or RELATED) entry: this is what makes two inside hosts that are not
     * translated still get unique tuples, and what sets the *_DONE bits.
     */
    public boolean allocNullBinding(Conntrack ct, CtEntry e, int hook, long now) {
        boolean src = hookIsSrcManip(hook);
        CtTuple r = e.reply;
        NatRange n = scratch.clear();
        if (src) {
            n.minHi = n.maxHi = r.dstHi;
            n.minLo = n.maxLo = r.dstLo;
        } else {
            n.minHi = n.maxHi = r.srcHi;
            n.minLo = n.maxLo = r.srcLo;
        }
        n.flags = NatRange.MAP_IPS;
        return setupInfo(ct, e, n, src, now);
    }

    /**
     * nf_nat_masquerade_ipv4/ipv6: source NAT to {@code (addrHi, addrLo)}, the output device's address as
     * the caller chose it (inet_select_addr / ipv6_dev_get_saddr towards the next hop), ports as in
     * {@code range} (only its flags and ports are used; MAP_IPS is added). An IPv4 entry whose original
     * source is 0.0.0.0 is left alone (accept); no address ({@code hasAddr} false) drops. The output interface
     * {@code oif} is recorded with an unconfirmed entry ({@link CtEntry#masqIndex}): its entries die when that
     * address goes away ({@link #killMasqueraded}) and when a later packet leaves by another interface
     * ({@link NatHook#oifChanged}).
     */
    public boolean masquerade(Conntrack ct, CtEntry e, NatRange range, boolean hasAddr, long addrHi, long addrLo,
                              int oif, long now) {
        if (e.orig.l3 == NFPROTO_IPV4 && e.orig.srcLo == 0 && e.orig.srcHi == 0) {
            return true;
        }
        if (!hasAddr) {
            return false;
        }
        if (!e.isConfirmed()) {
            e.masqIndex = oif; // nf_ct_nat_ext_add refuses confirmed entries
        }
        NatRange n = scratch.copyFrom(range);
        n.flags |= NatRange.MAP_IPS;
        n.minHi = n.maxHi = addrHi;
        n.minLo = n.maxLo = addrLo;
        return setupInfo(ct, e, n, true, now);
    }

    /**
     * nf_nat_redirect_ipv4/ipv6: destination NAT to a local address, given by the caller: at output
     * 127.0.0.1 / ::1, at prerouting the input device's primary address (IPv4: the first address of the
     * device; IPv6: its first usable address of the right scope); {@code hasAddr} false drops, as Linux
     * does for a device without an address. Ports: kept unless {@code range} gives a port range (then
     * forced into it as any DNAT).
     */
    public boolean redirect(Conntrack ct, CtEntry e, NatRange range, boolean hasAddr, long addrHi, long addrLo,
                            long now) {
        if (!hasAddr) {
            return false;
        }
        NatRange n = scratch.copyFrom(range);
        n.flags |= NatRange.MAP_IPS;
        n.minHi = n.maxHi = addrHi;
        n.minLo = n.maxLo = addrLo;
        return setupInfo(ct, e, n, false, now);
    }

    /**
     * nf_nat_masquerade's notifiers: kills every confirmed entry masqueraded on interface {@code ifindex}
     * (device_cmp, when the device goes down: {@code anyAddress}), or only those whose translated source (the
     * reply's destination) is the address that went away (inet_cmp, for an IPv4 or IPv6 address removal;
     * IPv4 as {@code hi = 0, lo = address}). Linux does it from a work queue; here the caller runs it between
     * packets. Returns the number of entries killed.
     */
    public static int killMasqueraded(Conntrack ct, int ifindex, boolean anyAddress, long hi, long lo) {
        int n = 0;
        for (int i = ct.size() - 1; i >= 0; i--) { // kill moves the last entry into slot i: walk down
            CtEntry e = ct.entryAt(i);
            if (e.masqIndex == ifindex && ifindex != 0
                    && (anyAddress || e.reply.dstHi == hi && e.reply.dstLo == lo)) {
                ct.kill(e);
                n++;
            }
        }
        return n;
    }

    // ================================================================ nat_bysource

    // Linux links every entry bound for source NAT (null bindings included) into nf_nat_bysource, keyed by
    // its original source (address, port, protocol, zone), and unlinks it when the entry is destroyed. jnft
    // cannot hook entry destruction, so nodes are validated when met: the entry must still be alive (not
    // DYING, not recycled, not expired), SRC_NAT_DONE, and have the same source; stale nodes are unlinked
    // then, and all of them when the node pool is full.
    private int[] bsHead = new int[1024];
    private int[] bsNext = new int[1024];
    private CtEntry[] bsEntry = new CtEntry[1024];
    private int bsFree = -1;
    private int bsUsed;

    {
        java.util.Arrays.fill(bsHead, -1);
    }

    private int bsBucket(long hi, long lo, int port, int proto, int zone) {
        long h = hi * 0x9e3779b97f4a7c15L ^ lo * 0xc2b2ae3d27d4eb4fL ^ (long) port << 16 ^ proto ^ (long) zone << 40;
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 32;
        return (int) h & (bsHead.length - 1);
    }

    private static boolean sameSrc(CtEntry x, int proto, long hi, long lo, int port) {
        CtTuple t = x.orig;
        return t.proto == proto && t.srcHi == hi && t.srcLo == lo && t.srcPort == port;
    }

    private static boolean alive(CtEntry x, long now) {
        return (x.status & (IPS_DYING | IPS_SRC_NAT_DONE)) == IPS_SRC_NAT_DONE && x.timeout - now > 0;
    }

    private void bySourceAdd(CtEntry e, long now) {
        if (bsFree < 0 && bsUsed == bsEntry.length) {
            bySourceSweep(now);
            if (bsUsed == bsEntry.length) {
                bySourceGrow(now);
            }
        }
        int n;
        if (bsFree >= 0) {
            n = bsFree;
            bsFree = bsNext[n];
        } else {
            n = bsUsed;
        }
        bsUsed++;
        CtTuple o = e.orig;
        int b = bsBucket(o.srcHi, o.srcLo, o.srcPort, o.proto, e.zone);
        bsEntry[n] = e;
        bsNext[n] = bsHead[b];
        bsHead[b] = n;
    }

    /** Unlinks every node whose entry is no longer a live source binding of its bucket's key. */
    private void bySourceSweep(long now) {
        for (int b = 0; b < bsHead.length; b++) {
            int prev = -1;
            for (int n = bsHead[b]; n >= 0; ) {
                int next = bsNext[n];
                CtEntry x = bsEntry[n];
                CtTuple o = x.orig;
                if (!alive(x, now) || bsBucket(o.srcHi, o.srcLo, o.srcPort, o.proto, x.zone) != b) {
                    unlinkNode(b, prev, n);
                } else {
                    prev = n;
                }
                n = next;
            }
        }
    }

    private void unlinkNode(int b, int prev, int n) {
        if (prev < 0) {
            bsHead[b] = bsNext[n];
        } else {
            bsNext[prev] = bsNext[n];
        }
        bsEntry[n] = null;
        bsNext[n] = bsFree;
        bsFree = n;
        bsUsed--;
    }

    private void bySourceGrow(long now) {
        int[] oldHead = bsHead;
        int[] oldNext = bsNext;
        CtEntry[] oldEntry = bsEntry;
        int size = oldEntry.length * 2;
        bsHead = new int[size];
        java.util.Arrays.fill(bsHead, -1);
        bsNext = new int[size];
        bsEntry = new CtEntry[size];
        bsFree = -1;
        bsUsed = 0;
        int[] chain = new int[oldEntry.length];
        for (int ob = 0; ob < oldHead.length; ob++) {
            int k = 0;
            for (int n = oldHead[ob]; n >= 0; n = oldNext[n]) {
                chain[k++] = n;
            }
            // oldest first, so that each key's newest binding stays at the head of its chain
            for (int i = k - 1; i >= 0; i--) {
                CtEntry x = oldEntry[chain[i]];
                CtTuple o = x.orig;
                int b = bsBucket(o.srcHi, o.srcLo, o.srcPort, o.proto, x.zone);
                int n = bsUsed++;
                bsEntry[n] = x;
                bsNext[n] = bsHead[b];
                bsHead[b] = n;
            }
        }
    }

    /** Nodes in the bysource table (for tests). */
    int bySourceSize() {
        return bsUsed;
    }

    /**
     * find_appropriate_src: the newest live source binding of the same original source whose translated
     * source (address and port/id), with the candidate's destination, lies in the range; the candidate takes
     * that source. Stale nodes met on the way are unlinked.
     */
    private boolean findAppropriateSrc(CtEntry e, NatRange r, long now) {
        long hi = sh;
        long lo = sl;
        int port = sp;
        int b = bsBucket(hi, lo, port, proto, e.zone);
        int prev = -1;
        for (int n = bsHead[b]; n >= 0; ) {
            int next = bsNext[n];
            CtEntry x = bsEntry[n];
            CtTuple o = x.orig;
            if (!alive(x, now) || bsBucket(o.srcHi, o.srcLo, o.srcPort, o.proto, x.zone) != b) {
                unlinkNode(b, prev, n);
                n = next;
                continue;
            }
            prev = n;
            if (x != e && x.zone == e.zone && o.l3 == l3 && sameSrc(x, proto, hi, lo, port)) {
                CtTuple xr = x.reply;
                sh = xr.dstHi;
                sl = xr.dstLo;
                sp = isIcmp(proto) ? xr.srcPort : xr.dstPort;
                if (inRange(r)) {
                    return true;
                }
                sh = hi;
                sl = lo;
                sp = port;
            }
            n = next;
        }
        return false;
    }

    // ================================================================ get_unique_tuple

    private static boolean isIcmp(int proto) {
        return proto == IpProto.ICMP || proto == IpProto.ICMPV6;
    }

    private static boolean hasPorts(int proto) {
        return proto == IpProto.TCP || proto == IpProto.UDP || proto == IpProto.UDPLITE
                || proto == IpProto.SCTP || proto == DCCP;
    }

    /** curr_tuple = invert(reply). */
    private void loadCurrent(CtEntry e) {
        CtTuple r = e.reply;
        l3 = r.l3;
        proto = r.proto;
        sh = r.dstHi;
        sl = r.dstLo;
        dh = r.srcHi;
        dl = r.srcLo;
        if (isIcmp(proto)) {
            sp = r.srcPort;
            dp = e.orig.dstPort;
            icmpReplyType = r.dstPort;
        } else {
            sp = r.dstPort;
            dp = r.srcPort;
        }
    }

    private void getUniqueTuple(Conntrack ct, CtEntry e, NatRange r, boolean src, long now) {
        boolean random = (r.flags & NatRange.PROTO_RANDOM_ALL) != 0;
        // 1) source NAT: try the current tuple first, else an existing mapping of the same source
        if (src && !random) {
            if (inRange(r)) {
                if (!usedTuple(ct, e, now)) {
                    return;
                }
            } else {
                long csh = sh, csl = sl;
                int csp = sp;
                if (findAppropriateSrc(e, r, now) && !usedTuple(ct, e, now)) {
                    return;
                }
                sh = csh;
                sl = csl;
                sp = csp;
            }
        }
        // 2) the address
        findBestIps(e, r, src);
        // 3) the per-protocol part, only when not already in range and unique
        if (!random) {
            if ((r.flags & NatRange.PROTO_SPECIFIED) != 0) {
                if ((r.flags & NatRange.PROTO_OFFSET) == 0 && l4InRange(src, r.minPort, r.maxPort)
                        && (r.minPort == r.maxPort || !usedTuple(ct, e, now))) {
                    return;
                }
            } else if (!usedTuple(ct, e, now)) {
                return;
            }
        }
        uniqueL4(ct, e, r, src, now);
    }

    /** nf_in_range (source side). */
    private boolean inRange(NatRange r) {
        if ((r.flags & NatRange.MAP_IPS) != 0 && !r.addrInRange(sh, sl)) {
            return false;
        }
        if ((r.flags & NatRange.PROTO_SPECIFIED) == 0) {
            return true;
        }
        return l4InRange(true, r.minPort, r.maxPort);
    }

    /** l4proto_in_range. */
    private boolean l4InRange(boolean src, int min, int max) {
        if (isIcmp(proto)) {
            return sp >= min && sp <= max;
        }
        if (hasPorts(proto) || proto == IpProto.GRE || proto == IpProto.SCTP || proto == DCCP) {
            int port = src ? sp : dp;
            return port >= min && port <= max;
        }
        return true;
    }

    /** nf_nat_used_tuple: is the inverse of the candidate some other entry's tuple? */
    private boolean usedTuple(Conntrack ct, CtEntry e, long now) {
        int rsp;
        int rdp;
        if (isIcmp(proto)) {
            rsp = sp;
            rdp = icmpReplyType;
        } else {
            rsp = dp;
            rdp = sp;
        }
        return ct.tupleTaken(l3, proto, dh, dl, sh, sl, rsp, rdp, e.zone, e, now);
    }

    private static int word(long hi, long lo, int i) {
        return switch (i) {
            case 0 -> (int) (hi >>> 32);
            case 1 -> (int) hi;
            case 2 -> (int) (lo >>> 32);
            default -> (int) lo;
        };
    }

    private static void words(int l3, long hi, long lo, int[] w) {
        if (l3 == NFPROTO_IPV4) {
            w[0] = (int) lo;
            w[1] = 0;
            w[2] = 0;
            w[3] = 0;
        } else {
            for (int i = 0; i < 4; i++) {
                w[i] = word(hi, lo, i);
            }
        }
    }

    /** find_best_ips_proto. */
    private void findBestIps(CtEntry e, NatRange r, boolean src) {
        if ((r.flags & NatRange.MAP_IPS) == 0) {
            return;
        }
        if (r.minHi == r.maxHi && r.minLo == r.maxLo) {
            if (src) {
                sh = r.minHi;
                sl = r.minLo;
            } else {
                dh = r.minHi;
                dl = r.minLo;
            }
            return;
        }
        int max = l3 == NFPROTO_IPV4 ? 0 : 3;
        words(l3, sh, sl, srcW);
        words(l3, dh, dl, dstW);
        words(l3, r.minHi, r.minLo, minW);
        words(l3, r.maxHi, r.maxLo, maxW);
        boolean persistent = (r.flags & NatRange.PERSISTENT) != 0;
        // jhash2 over the four source words as a little-endian host reads them
        int j = jhash2x4(Integer.reverseBytes(srcW[0]), Integer.reverseBytes(srcW[1]),
                Integer.reverseBytes(srcW[2]), Integer.reverseBytes(srcW[3]),
                persistent ? 0 : Integer.reverseBytes(dstW[max]) ^ e.zone);
        int[] var = src ? srcW : dstW;
        boolean fullRange = false;
        for (int i = 0; i <= max; i++) {
            int minip;
            int dist;
            if (!fullRange) {
                minip = minW[i];
                dist = maxW[i] - minip + 1;
            } else {
                minip = 0;
                dist = ~0;
            }
            var[i] = minip + reciprocalScale(j, dist);
            if (var[i] != maxW[i]) {
                fullRange = true;
            }
            if (!persistent) {
                j ^= Integer.reverseBytes(dstW[i]);
            }
        }
        long hi;
        long lo;
        if (l3 == NFPROTO_IPV4) {
            hi = 0;
            lo = var[0] & 0xffffffffL;
        } else {
            hi = (long) var[0] << 32 | (var[1] & 0xffffffffL);
            lo = (long) var[2] << 32 | (var[3] & 0xffffffffL);
        }
        if (src) {
            sh = hi;
            sl = lo;
        } else {
            dh = hi;
            dl = lo;
        }
    }

    static int reciprocalScale(int val, int epRo) {
        return (int) (((val & 0xffffffffL) * (epRo & 0xffffffffL)) >>> 32);
    }

    /** Bob Jenkins' lookup3 hash of four 32-bit words (the kernel's jhash2 with length 4). */
    static int jhash2x4(int k0, int k1, int k2, int k3, int initval) {
        int a = 0xdeadbeef + (4 << 2) + initval;
        int b = a;
        int c = a;
        a += k0;
        b += k1;
        c += k2;
        // mix
        a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
        b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
        c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
        a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
        b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
        c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
        a += k3;
        // final
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** The random u16 Linux takes from get_random_u16(): SplitMix64 here, seeded. */
    private int randomU16() {
        long z = (rnd += 0x9e3779b97f4a7c15L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z = z ^ (z >>> 31);
        return (int) (z & 0xffff);
    }

    /** nf_nat_l4proto_unique_tuple. */
    private void uniqueL4(Conntrack ct, CtEntry e, NatRange r, boolean src, long now) {
        int min;
        int rangeSize;
        boolean keyIsSrc;
        boolean specified = (r.flags & NatRange.PROTO_SPECIFIED) != 0;
        if (isIcmp(proto)) {
            keyIsSrc = true;
            if (!specified) {
                min = 0;
                rangeSize = 65536;
            } else {
                min = r.minPort;
                rangeSize = r.maxPort - r.minPort + 1;
            }
        } else if (hasPorts(proto)) {
            keyIsSrc = src;
            if (!specified) {
                if (!src) {
                    return; // DNAT without a port range cannot change the port
                }
                int key = sp;
                if (key < 1024) {
                    if (key < 512) {
                        min = 1;
                        rangeSize = 511;
                    } else {
                        min = 600;
                        rangeSize = 1023 - 600 + 1;
                    }
                } else {
                    min = 1024;
                    rangeSize = 65535 - 1024 + 1;
                }
            } else {
                min = r.minPort;
                int max = r.maxPort;
                if (max < min) {
                    int t = max;
                    max = min;
                    min = t;
                }
                rangeSize = max - min + 1;
            }
        } else {
            return;
        }
        if (rangeSize <= 0) {
            rangeSize = 1; // Linux's u16 ICMP arithmetic: max < min leaves a huge unsigned range; keep sane
        }
        int key = keyIsSrc ? sp : dp;
        int off;
        if ((r.flags & NatRange.PROTO_OFFSET) != 0) {
            off = (key - r.basePort) & 0xffff;
        } else {
            off = randomU16();
        }
        int attempts = Math.min(rangeSize, MAX_ATTEMPTS);
        while (true) {
            for (int i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
                int port = min + off % rangeSize;
                if (keyIsSrc) {
                    sp = port;
                } else {
                    dp = port;
                }
                if (!usedTuple(ct, e, now)) {
                    return;
                }
            }
            if (attempts >= rangeSize || attempts < 16) {
                return;
            }
            attempts /= 2;
            off = randomU16();
        }
    }
}
