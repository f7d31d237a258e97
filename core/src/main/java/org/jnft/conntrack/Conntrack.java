package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.IpProto;
import org.jnft.packet.PacketInfo;

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
 *
 * <p>This class is the API and the small helpers of timeouts and counters; the work is done by
 * {@code CtTable} (hash table, entry pool, early drop, GC), {@code CtIn} (nf_conntrack_in, init_conntrack,
 * {@link #insert}) and {@code CtConfirm} (nf_conntrack_confirm, clash resolution).
 */
public final class Conntrack {
    /** Verdicts of {@link #in} and {@link #confirm}. */
    public static final boolean ACCEPT = true;
    public static final boolean DROP = false;

    public final ConntrackParams params;
    public final ConntrackStats stats = new ConntrackStats();

    private final CtTable table;
    private final CtIn in;
    private final CtConfirm confirm;

    public Conntrack(ConntrackParams params) {
        this(params, 0x5eed_c0ffee_1234L);
    }

    /** With an explicit hash seed (Linux randomises it at boot). */
    public Conntrack(ConntrackParams params, long seed) {
        this.params = params;
        this.table = new CtTable(params, stats, seed);
        this.in = new CtIn(this, table);
        this.confirm = new CtConfirm(this, table);
    }

    // ================================================================ table

    /** Entries counted against nf_conntrack_max (confirmed and unconfirmed), as Linux's nf_conntrack_count. */
    public int count() {
        return table.count();
    }

    /** Confirmed entries in the table. */
    public int size() {
        return table.size();
    }

    /**
     * Finds the tuple (either direction) equal to the given one in {@code zone}, skipping (and deleting)
     * expired entries. Null when none.
     */
    public CtTuple find(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
        return table.find(l3, proto, sh, sl, dh, dl, sp, dp, zone, now);
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

    /**
     * Deletes an entry (nf_ct_kill): DYING, out of the table; its memory is recycled once nobody holds a
     * reference. Unconfirmed entries are marked DYING (confirm then fails) and freed on release.
     */
    public void kill(CtEntry e) {
        table.kill(e);
    }

    /** Who holds an offloaded entry and must let go when it dies. */
    @FunctionalInterface
    public interface DeathListener {
        void dying(CtEntry e);
    }

    /**
     * Registers the flowtable: an entry with {@link CtEntry#offload} set that dies (killed, expired, evicted)
     * is handed to {@code l} at once, so that the fast path never has to look at a dying entry (the kernel's
     * flow_offload_lookup checks nf_ct_is_dying per packet instead).
     */
    public void onDeath(DeathListener l) {
        table.onDeath = l;
    }

    /** Takes a reference (the flowtable, a timer ...): listed as use=2, never recycled while held. */
    public void get(CtEntry e) {
        e.refs++;
    }

    /** Drops a reference from {@link #get}. */
    public void put(CtEntry e) {
        table.put(e);
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

    /** nf_ct_refresh_acct, for the trackers: a new deadline (unless FIXED_TIMEOUT) and the counters. */
    void refreshAcct(CtEntry e, int ctinfo, int len, long timeout, long now) {
        if ((e.status & IPS_FIXED_TIMEOUT) == 0) {
            table.setTimeout(e, now + timeout);
        }
        acct(e, ctinfo, len);
    }

    /** nf_ct_acct_update: the packet and byte counters of the packet's direction, when accounting is on. */
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
        table.setTimeout(e, deadline);
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
        return table.nextDeadline();
    }

    /**
     * Deletes every entry whose deadline is at or before {@code now} (the GC), and, after a "table full"
     * drop, evicts non-ASSURED entries (and closing TCP ones) while the table is over 95% full, as Linux's
     * gc_worker does. Returns the number of entries deleted.
     */
    public int expire(long now) {
        return table.expire(now);
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
        return in.in(seg, pi, hook, now, pc);
    }

    // ================================================================ confirm

    /**
     * nf_conntrack_confirm at the end of postrouting and input: inserts the packet's unconfirmed entry.
     * If an equal tuple is already in the table (a clash), UDP packets are attached to the existing entry
     * (Linux's clash resolution for protocols that allow it); others are dropped ({@link #DROP},
     * insert_failed and drop counted). Packets of confirmed entries, invalid and untracked ones pass.
     */
    public boolean confirm(PacketCt pc, long now) {
        return confirm.confirm(pc, now);
    }

    /**
     * Inserts a confirmed entry for the tuple (reply = inverse; ICMP queries inverted as the tracker does),
     * as {@code conntrack -I} would, with the generic timeout and no protocol state: for benchmarks and
     * tests that need many entries. Null when the tuple exists or the table is full.
     */
    public CtEntry insert(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
        return in.insert(l3, proto, sh, sl, dh, dl, sp, dp, zone, now);
    }

    // ================================================================ listing and iteration

    /** The confirmed entry at {@code i} (0 ≤ i &lt; {@link #size()}), in no particular order. */
    public CtEntry entryAt(int i) {
        return table.entryAt(i);
    }

    /** conntrack -L lines (no summary), sorted as conntrack.txt wants; see {@link ConntrackListing}. */
    public java.util.List<String> list(long now) {
        return ConntrackListing.lines(this, now);
    }
}
