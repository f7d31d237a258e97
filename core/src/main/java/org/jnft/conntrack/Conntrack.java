package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.Bytes;
import org.jnft.packet.Checksum;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.ParseStatus;

/**
 * The connection tracking table and {@code nf_conntrack_in}/{@code nf_conntrack_confirm} of one network
 * namespace. Single-threaded (the data-plane thread owns it); no locks, no exceptions, no allocation per
 * packet once an entry exists (entries are recycled through a free list).
 *
 * <p>Both directions of every confirmed entry sit in one chained hash table, as in Linux. A packet is
 * looked up with its tuple (and zone); a miss creates an unconfirmed entry that counts towards
 * {@code nf_conntrack_max} and enters the table only at {@link #confirm}. When the table is full, up to 8
 * buckets from the new tuple's are searched for non-ASSURED entries to drop (early drop); if none, the
 * packet is dropped ({@link ConntrackStats#drop}, skb drop reason {@code NETFILTER_DROP}).
 *
 * <p>Calls the pipeline makes, per packet (see the package documentation for the hooks): {@link #in} at
 * prerouting/output -200, {@link #confirm} at the end of postrouting/input, {@link #release} when the
 * packet's life ends (sent, delivered, dropped); and {@link #expire} from the GC timer.
 */
public final class Conntrack {
    /** Verdicts of {@link #in} and {@link #confirm}. */
    public static final boolean ACCEPT = true;
    public static final boolean DROP = false;

    private static final int EVICTION_RANGE = 8;

    public final ConntrackParams params;
    public final ConntrackStats stats = new ConntrackStats();

    private final CtTuple[] buckets;
    private final long seed;
    private CtEntry[] all = new CtEntry[256];
    private int allCount;
    private CtEntry free;
    private int count;
    private long minDeadline = Long.MAX_VALUE;
    private boolean gcEarlyDrop;

    /** The tuple of the packet being looked up (nf_ct_get_tuple's result). */
    private final ScratchTuple k = new ScratchTuple();

    public Conntrack(ConntrackParams params) {
        this(params, 0x5eed_c0ffee_1234L);
    }

    /** With an explicit hash seed (Linux randomises it at boot). */
    public Conntrack(ConntrackParams params, long seed) {
        this.params = params;
        this.buckets = new CtTuple[Math.max(1, params.buckets)];
        this.seed = seed;
    }

    // ================================================================ hashing

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    private int hash(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone) {
        long h = seed;
        h = mix(h, ((long) l3 << 56) | ((long) proto << 48) | ((long) zone << 32) | ((long) sp << 16) | dp);
        h = mix(h, sh);
        h = mix(h, sl);
        h = mix(h, dh);
        h = mix(h, dl);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    private int bucket(int hash) {
        return (int) (((hash & 0xffffffffL) * buckets.length) >>> 32);
    }

    private int hashOf(CtTuple t, int zone) {
        return hash(t.l3, t.proto, t.srcHi, t.srcLo, t.dstHi, t.dstLo, t.srcPort, t.dstPort, zone);
    }

    // ================================================================ table

    /** Entries counted against nf_conntrack_max (confirmed and unconfirmed), as Linux's nf_conntrack_count. */
    public int count() {
        return count;
    }

    /** Confirmed entries in the table. */
    public int size() {
        return allCount;
    }

    /**
     * Finds the tuple (either direction) equal to the given one in {@code zone}, skipping (and deleting)
     * expired entries. Null when none.
     */
    public CtTuple find(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
        int hash = hash(l3, proto, sh, sl, dh, dl, sp, dp, zone);
        int b = bucket(hash);
        CtTuple h = buckets[b];
        while (h != null) {
            // compare within the tuple first: the entry is touched only for the match
            if (h.hash == hash && h.zone == zone && h.matches(l3, proto, sh, sl, dh, dl, sp, dp)) {
                CtEntry e = h.ct;
                if (e.timeout - now <= 0) {
                    expired(e);
                    return null; // one live entry per tuple and zone: this was it
                }
                return h;
            }
            h = h.next;
        }
        return null;
    }

    /**
     * nf_conntrack_tuple_taken, for NAT's port allocation: true when an entry other than {@code ignored}
     * already uses the tuple (in either direction) in {@code zone}, unless its ORIGINAL tuple equals
     * {@code ignored}'s (the same flow; confirmation resolves that clash).
     */
    public boolean tupleTaken(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone,
                              CtEntry ignored, long now) {
        CtTuple h = find(l3, proto, sh, sl, dh, dl, sp, dp, zone, now);
        if (h == null || h.ct == ignored) {
            return false;
        }
        CtTuple o = ignored.orig;
        return !h.ct.orig.matches(o.l3, o.proto, o.srcHi, o.srcLo, o.dstHi, o.dstLo, o.srcPort, o.dstPort);
    }

    /** IPv4 convenience lookup. */
    public CtTuple findV4(int proto, int src, int dst, int sport, int dport, int zone, long now) {
        return find(NFPROTO_IPV4, proto, 0, src & 0xffffffffL, 0, dst & 0xffffffffL, sport, dport, zone, now);
    }

    private void link(CtTuple t, int zone) {
        t.zone = zone;
        t.hash = hashOf(t, zone);
        int b = bucket(t.hash);
        t.next = buckets[b];
        buckets[b] = t;
    }

    private void unlink(CtTuple t) {
        int b = bucket(t.hash);
        CtTuple h = buckets[b];
        if (h == t) {
            buckets[b] = t.next;
        } else {
            while (h != null && h.next != t) {
                h = h.next;
            }
            if (h != null) {
                h.next = t.next;
            }
        }
        t.next = null;
    }

    private CtEntry alloc() {
        CtEntry e = free;
        if (e != null) {
            free = e.nextFree;
            e.nextFree = null;
            return e;
        }
        return new CtEntry();
    }

    private void recycle(CtEntry e) {
        e.reset();
        e.nextFree = free;
        free = e;
    }

    private void expired(CtEntry e) {
        stats.expired++;
        kill(e);
    }

    /**
     * Deletes an entry (nf_ct_kill): DYING, out of the table; its memory is recycled once nobody holds a
     * reference. Unconfirmed entries are marked DYING (confirm then fails) and freed on release.
     */
    public void kill(CtEntry e) {
        if ((e.status & IPS_DYING) != 0) {
            return;
        }
        e.status |= IPS_DYING;
        if ((e.status & IPS_CONFIRMED) != 0) {
            unlink(e.orig);
            unlink(e.reply);
            int s = e.slot;
            CtEntry last = all[--allCount];
            all[s] = last;
            last.slot = s;
            all[allCount] = null;
            e.slot = -1;
            count--;
            if (e.refs == 0) {
                recycle(e);
            }
        }
    }

    /** Takes a reference (the flowtable, a timer ...): listed as use=2, never recycled while held. */
    public void get(CtEntry e) {
        e.refs++;
    }

    /** Drops a reference from {@link #get}. */
    public void put(CtEntry e) {
        if (--e.refs == 0 && (e.status & IPS_DYING) != 0) {
            if ((e.status & IPS_CONFIRMED) == 0) {
                count--;
            }
            recycle(e);
        }
    }

    /**
     * Ends a packet's hold on its entry (nf_ct_put when the skb is freed) and clears {@code pc}. An
     * unconfirmed entry (the packet was dropped or delivered before confirmation) is freed.
     */
    public void release(PacketCt pc) {
        CtEntry e = pc.ct;
        if (e != null) {
            if ((e.status & IPS_CONFIRMED) == 0) {
                e.status |= IPS_DYING;
            }
            put(e);
        }
        pc.clear();
    }

    // ================================================================ timeouts and counters

    void refreshAcct(CtEntry e, int ctinfo, int len, long timeout, long now) {
        if ((e.status & IPS_FIXED_TIMEOUT) == 0) {
            long d = now + timeout;
            e.timeout = d;
            if (d < minDeadline) {
                minDeadline = d;
            }
        }
        acct(e, ctinfo, len);
    }

    void acct(CtEntry e, int ctinfo, int len) {
        if (e.acct) {
            if (ctinfo >= IP_CT_IS_REPLY) {
                e.replyPackets++;
                e.replyBytes += len;
            } else {
                e.origPackets++;
                e.origBytes += len;
            }
        }
    }

    /** Sets an entry's deadline (flowtable: offload timeouts, teardown). */
    public void setTimeout(CtEntry e, long deadline) {
        e.timeout = deadline;
        if (deadline < minDeadline) {
            minDeadline = deadline;
        }
    }

    /**
     * NAT's hook: replaces the reply tuple of an unconfirmed entry (nf_conntrack_alter_reply) and sets
     * SRC_NAT / DST_NAT as given in {@code natBits}.
     */
    public void alterReply(CtEntry e, long sh, long sl, long dh, long dl, int sp, int dp, int natBits) {
        CtTuple r = e.reply;
        r.set(r.l3, r.proto, sh, sl, dh, dl, sp, dp);
        e.status |= natBits & IPS_NAT_MASK;
    }

    /**
     * nf_conntrack_tcp_set_closing (flowtable teardown of a CLOSING flow): state CLOSE and the close
     * timeout, unless already CLOSE or FIXED_TIMEOUT. Confirmed TCP entries only.
     */
    public void tcpSetClosing(CtEntry e, long now) {
        if ((e.status & IPS_CONFIRMED) == 0 || e.orig.proto != IpProto.TCP) {
            return;
        }
        int old = e.tcpState;
        e.tcpState = TCP_CLOSE;
        if (old == TCP_CLOSE || (e.status & IPS_FIXED_TIMEOUT) != 0) {
            return;
        }
        setTimeout(e, now + params.tcpTimeouts[TCP_CLOSE]);
    }

    /** What nft_flow_offload does to a TCP entry it offloads: both directions window-liberal. */
    public void tcpBeLiberal(CtEntry e) {
        e.tdf[2] |= (byte) TcpTracker.F_BE_LIBERAL;
        e.tdf[3] |= (byte) TcpTracker.F_BE_LIBERAL;
    }

    /**
     * flow_offload_fixup_tcp: the state the flowtable hands back (CLOSE for a closing flow, which marks the
     * close as initiated so that a new SYN reopens the connection), and the max windows forgotten so that
     * tracking resynchronises after the packets it did not see.
     */
    public void tcpFlowFixup(CtEntry e, int state) {
        e.tcpState = (byte) state;
        if (state == TCP_CLOSE) {
            e.tdf[2] |= (byte) TcpTracker.F_CLOSE_INIT;
        }
        tcpResetMaxWin(e);
    }

    /** flow_offload_fixup_tcp on teardown: forget the max windows so tracking resynchronises. */
    public void tcpResetMaxWin(CtEntry e) {
        e.td[4] = 0;
        e.td[5] = 0;
        e.tdf[2] &= (byte) ~TcpTracker.F_MAXACK_SET;
        e.tdf[3] &= (byte) ~TcpTracker.F_MAXACK_SET;
    }

    /** A lower bound of the next deadline (Long.MAX_VALUE when empty): call {@link #expire} then. */
    public long nextDeadline() {
        return allCount == 0 ? Long.MAX_VALUE : minDeadline;
    }

    /**
     * Deletes every entry whose deadline is at or before {@code now} (the GC), and, after a "table full"
     * drop, evicts non-ASSURED entries (and closing TCP ones) while the table is over 95% full, as Linux's
     * gc_worker does. Returns the number of entries deleted.
     */
    public int expire(long now) {
        int n = 0;
        long min = Long.MAX_VALUE;
        int max95 = gcEarlyDrop && params.max > 0 ? params.max / 100 * 95 : 0;
        for (int i = allCount - 1; i >= 0; i--) {
            CtEntry e = all[i];
            if (e.timeout - now <= 0) {
                expired(e);
                n++;
                continue;
            }
            if (max95 > 0 && count >= max95 && (e.status & IPS_DYING) == 0
                    && ((e.status & IPS_ASSURED) == 0 || (e.orig.proto == IpProto.TCP && TcpTracker.earlyDroppable(e)))) {
                kill(e);
                n++;
                continue;
            }
            if (e.timeout < min) {
                min = e.timeout;
            }
        }
        gcEarlyDrop = false;
        minDeadline = min;
        return n;
    }

    private boolean earlyDrop(int hash) {
        int b = bucket(hash);
        for (int i = 0; i < EVICTION_RANGE; i++) {
            int drops = 0;
            CtTuple h = buckets[b];
            while (h != null) {
                CtEntry e = h.ct;
                if ((e.status & (IPS_ASSURED | IPS_DYING)) == 0) {
                    kill(e);
                    drops++;
                    h = buckets[b]; // the chain changed: start again
                    continue;
                }
                h = h.next;
            }
            if (drops > 0) {
                stats.earlyDrop += drops;
                return true;
            }
            b = (b + 1) % buckets.length;
        }
        return false;
    }

    // ================================================================ nf_conntrack_in

    /**
     * nf_conntrack_in: attaches the packet to its entry (existing, or a new unconfirmed one) and runs the
     * protocol tracker. Afterwards {@code pc.ct}/{@code pc.ctinfo} say NEW, ESTABLISHED, RELATED (+REPLY),
     * or invalid ({@code ct == null}, ctinfo {@link CtConst#IP_CT_NONE}). Packets already attached (or
     * untracked) are left alone. Returns {@link #DROP} only when the table is full (count the packet under
     * NETFILTER_DROP), else {@link #ACCEPT}.
     *
     * @param seg   the frame's segment; offsets in {@code pi} are absolute in it
     * @param hook  {@link CtConst#HOOK_PRE_ROUTING} or {@link CtConst#HOOK_LOCAL_OUT} (checksums are verified
     *              at prerouting only, when nf_conntrack_checksum is 1)
     * @param now   engine clock, ns
     */
    public boolean in(MemorySegment seg, PacketInfo pi, int hook, long now, PacketCt pc) {
        if (pc.ct != null || pc.ctinfo == IP_CT_UNTRACKED) {
            return ACCEPT;
        }
        pc.ctinfo = IP_CT_NONE;
        int l3;
        if (pi.isIpv4()) {
            l3 = NFPROTO_IPV4;
        } else if (pi.isIpv6()) {
            l3 = NFPROTO_IPV6;
        } else {
            return ACCEPT;
        }
        if (pi.status != ParseStatus.OK || pi.l4Offset < 0) {
            stats.invalid++;
            return ACCEPT;
        }
        int proto = pi.l4Proto;
        if (proto == IpProto.NONE && l3 == NFPROTO_IPV6) {
            stats.invalid++; // ipv6_skip_exthdr fails on "no next header"
            return ACCEPT;
        }
        int off = pi.l4Offset;
        int l4len = pi.l4Length;
        int skbLen = pi.l3Length;
        int zone = pc.zone;

        if (proto == IpProto.ICMP || proto == IpProto.ICMPV6) {
            int r = IcmpTracker.error(this, seg, pi, l3, proto, off, l4len, hook, now, pc);
            if (r != IcmpTracker.CONTINUE) {
                if (r == IcmpTracker.INVALID) {
                    stats.error++;
                    stats.invalid++;
                }
                return ACCEPT;
            }
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            if (!k.fromPacket(seg, pi, l3, proto, off, l4len)) {
                stats.invalid++;
                return ACCEPT;
            }
            CtEntry e;
            int ctinfo;
            CtTuple h = find(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp, zone, now);
            if (h != null) {
                e = h.ct;
                stats.found++;
                if (h.dir == DIR_REPLY) {
                    ctinfo = IP_CT_ESTABLISHED_REPLY;
                } else if ((e.status & IPS_SEEN_REPLY) != 0) {
                    ctinfo = IP_CT_ESTABLISHED;
                } else if ((e.status & IPS_EXPECTED) != 0) {
                    ctinfo = IP_CT_RELATED;
                } else {
                    ctinfo = IP_CT_NEW;
                }
            } else {
                int newResult = newEntry(zone, now);
                if (newResult < 0) {
                    stats.drop++;
                    return DROP;
                }
                if (newResult == 0) {
                    stats.invalid++;
                    return ACCEPT;
                }
                e = pending;
                pending = null;
                ctinfo = IP_CT_NEW;
            }
            e.refs++;
            pc.ct = e;
            pc.ctinfo = ctinfo;
            int r = track(e, seg, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            if (r <= 0) {
                release(pc);
                pc.zone = zone;
                if (r == TcpTracker.REPEAT) {
                    continue;
                }
                stats.invalid++;
                return ACCEPT;
            }
            if (ctinfo == IP_CT_ESTABLISHED_REPLY) {
                e.status |= IPS_SEEN_REPLY;
            }
            return ACCEPT;
        }
        return ACCEPT;
    }

    private CtEntry pending;

    /** init_conntrack: 1 = created ({@link #pending}), 0 = cannot (tuple not invertible), -1 = table full. */
    private int newEntry(int zone, long now) {
        // reply tuple: inverse of the packet's
        int rsp;
        int rdp;
        if (k.proto == IpProto.ICMP || k.proto == IpProto.ICMPV6) {
            int type = IcmpTracker.invertType(k.l3, k.proto, k.dp >>> 8);
            if (type < 0) {
                return 0;
            }
            rsp = k.sp;
            rdp = type << 8 | (k.dp & 0xff);
        } else {
            rsp = k.dp;
            rdp = k.sp;
        }
        int h = hash(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp, zone);
        count++;
        if (params.max > 0 && count > params.max) {
            if (!earlyDrop(h)) {
                gcEarlyDrop = true;
                count--;
                return -1;
            }
        }
        CtEntry e = alloc();
        e.orig.set(k.l3, k.proto, k.sh, k.sl, k.dh, k.dl, k.sp, k.dp);
        e.reply.set(k.l3, k.proto, k.dh, k.dl, k.sh, k.sl, rsp, rdp);
        e.zone = zone;
        e.acct = params.acct;
        e.timeout = now;
        pending = e;
        return 1;
    }

    /** Protocol trackers: >0 accept, <=0 invalid, {@link TcpTracker#REPEAT} look up again. */
    private int track(CtEntry e, MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len, int ctinfo,
                      int hook, int skbLen, long now) {
        switch (proto) {
            case IpProto.TCP -> {
                if (hook == HOOK_PRE_ROUTING && params.checksum && !l4ChecksumOk(s, pi, l3, proto, off, l4len)) {
                    return -1;
                }
                return TcpTracker.packet(this, e, s, off, l4len, ctinfo, skbLen, now);
            }
            case IpProto.UDP, IpProto.UDPLITE -> {
                return UdpTracker.packet(this, e, s, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            }
            case IpProto.ICMP, IpProto.ICMPV6 -> {
                return IcmpTracker.packet(this, e, s, pi, l3, proto, off, l4len, ctinfo, hook, skbLen, now);
            }
            default -> {
                return GenericTracker.packet(this, e, proto, ctinfo, skbLen, now);
            }
        }
    }

    boolean l4ChecksumOk(MemorySegment s, PacketInfo pi, int l3, int proto, int off, int l4len) {
        if (pi.fragment) {
            return true; // a first fragment cannot be verified (Linux defragments first)
        }
        if (l3 == NFPROTO_IPV4) {
            int src = Bytes.u32(s, pi.l3Offset + 12);
            int dst = Bytes.u32(s, pi.l3Offset + 16);
            return Checksum.l4ValidV4(s, off, l4len, src, dst, proto);
        }
        long sh = Bytes.u64(s, pi.l3Offset + 8);
        long sl = Bytes.u64(s, pi.l3Offset + 16);
        long dh = Bytes.u64(s, pi.l3Offset + 24);
        long dl = Bytes.u64(s, pi.l3Offset + 32);
        return Checksum.l4ValidV6(s, off, l4len, sh, sl, dh, dl, proto);
    }

    /** Lookup by an explicit tuple, for ICMP errors: the inverse of the scratch tuple. */
    CtTuple findInverse(int zone, long now) {
        int sp = k.dp;
        int dp = k.sp;
        if (k.proto == IpProto.ICMP || k.proto == IpProto.ICMPV6) {
            int type = IcmpTracker.invertType(k.l3, k.proto, k.dp >>> 8);
            if (type < 0) {
                return null;
            }
            sp = k.sp;
            dp = type << 8 | (k.dp & 0xff);
        }
        return find(k.l3, k.proto, k.dh, k.dl, k.sh, k.sl, sp, dp, zone, now);
    }

    boolean l4Tuple(MemorySegment s, int l3, int proto, int off, int l4len) {
        return k.l4(s, l3, proto, off, l4len);
    }

    void scratchAddresses(int l3, long sh, long sl, long dh, long dl, int proto) {
        k.addresses(l3, sh, sl, dh, dl, proto);
    }

    // ================================================================ confirm

    /**
     * nf_conntrack_confirm at the end of postrouting and input: inserts the packet's unconfirmed entry.
     * If an equal tuple is already in the table (a clash), UDP packets are attached to the existing entry
     * (Linux's clash resolution for protocols that allow it); others are dropped ({@link #DROP},
     * insert_failed and drop counted). Packets of confirmed entries, invalid and untracked ones pass.
     */
    public boolean confirm(PacketCt pc, long now) {
        CtEntry e = pc.ct;
        if (e == null || (e.status & IPS_CONFIRMED) != 0) {
            return ACCEPT;
        }
        if (CtConst.dir(pc.ctinfo) != DIR_ORIGINAL) {
            return ACCEPT;
        }
        if ((e.status & IPS_DYING) != 0) {
            stats.insertFailed++;
            return DROP;
        }
        CtTuple o = e.orig;
        CtTuple r = e.reply;
        CtTuple h = find(o.l3, o.proto, o.srcHi, o.srcLo, o.dstHi, o.dstLo, o.srcPort, o.dstPort, e.zone, now);
        if (h == null) {
            h = find(r.l3, r.proto, r.srcHi, r.srcLo, r.dstHi, r.dstLo, r.srcPort, r.dstPort, e.zone, now);
        }
        if (h != null) {
            CtEntry w = h.ct;
            boolean allow = o.proto == IpProto.UDP || o.proto == IpProto.UDPLITE;
            if (allow && (w.status & IPS_DYING) == 0
                    && ((w.status & (IPS_SRC_NAT_DONE | IPS_DST_NAT_DONE)) == 0 || sameTuples(w, e))) {
                w.origPackets += e.origPackets;
                w.origBytes += e.origBytes;
                int ctinfo = pc.ctinfo;
                release(pc);
                w.refs++;
                pc.ct = w;
                pc.ctinfo = ctinfo;
                stats.clashResolve++;
                return ACCEPT;
            }
            stats.drop++;
            stats.insertFailed++;
            return DROP;
        }
        link(o, e.zone);
        link(r, e.zone);
        e.status |= IPS_CONFIRMED;
        if (allCount == all.length) {
            CtEntry[] n = new CtEntry[all.length * 2];
            System.arraycopy(all, 0, n, 0, allCount);
            all = n;
        }
        e.slot = allCount;
        all[allCount++] = e;
        if (e.timeout < minDeadline) {
            minDeadline = e.timeout;
        }
        stats.insert++;
        return ACCEPT;
    }

    private static boolean sameTuples(CtEntry a, CtEntry b) {
        CtTuple x = a.orig;
        CtTuple y = b.orig;
        CtTuple xr = a.reply;
        CtTuple yr = b.reply;
        return x.matches(y.l3, y.proto, y.srcHi, y.srcLo, y.dstHi, y.dstLo, y.srcPort, y.dstPort)
                && xr.matches(yr.l3, yr.proto, yr.srcHi, yr.srcLo, yr.dstHi, yr.dstLo, yr.srcPort, yr.dstPort);
    }

    /**
     * Inserts a confirmed entry for the tuple (reply = inverse; ICMP queries inverted as the tracker does),
     * as {@code conntrack -I} would, with the generic timeout and no protocol state: for benchmarks and
     * tests that need many entries. Null when the tuple exists or the table is full.
     */
    public CtEntry insert(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
        k.l3 = l3;
        k.proto = proto;
        k.sh = sh;
        k.sl = sl;
        k.dh = dh;
        k.dl = dl;
        k.sp = sp;
        k.dp = dp;
        if (find(l3, proto, sh, sl, dh, dl, sp, dp, zone, now) != null || findInverse(zone, now) != null) {
            return null;
        }
        if (newEntry(zone, now) <= 0) {
            return null;
        }
        CtEntry e = pending;
        pending = null;
        e.timeout = now + params.genericTimeout;
        if (proto == IpProto.TCP) {
            e.tcpState = TCP_ESTABLISHED;
        }
        link(e.orig, zone);
        link(e.reply, zone);
        e.status |= IPS_CONFIRMED;
        if (allCount == all.length) {
            CtEntry[] n = new CtEntry[all.length * 2];
            System.arraycopy(all, 0, n, 0, allCount);
            all = n;
        }
        e.slot = allCount;
        all[allCount++] = e;
        if (e.timeout < minDeadline) {
            minDeadline = e.timeout;
        }
        return e;
    }

    // ================================================================ listing and iteration

    /** The confirmed entry at {@code i} (0 ≤ i &lt; {@link #size()}), in no particular order. */
    public CtEntry entryAt(int i) {
        return all[i];
    }

    /** conntrack -L lines (no summary), sorted as conntrack.txt wants; see {@link ConntrackListing}. */
    public java.util.List<String> list(long now) {
        return ConntrackListing.lines(this, now);
    }
}
