package org.jnft.route;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.PacketBuffer;

/**
 * Linux's neighbour subsystem (net/core/neighbour.c with the ARP and NDP front ends of net/ipv4/arp.c and
 * net/ipv6/ndisc.c): one table for both families (each with its own {@link NeighbourParams}, counters and
 * GC), entries keyed by (family, ifindex, address), the NUD state machine on the engine's clock, and the
 * per-neighbour queue of packets waiting for resolution.
 *
 * <h2>Use</h2>
 * <ul>
 * <li>{@link #output4}/{@link #output6} is {@code neigh_resolve_output}: the MAC to send a packet to now,
 *     or {@link #QUEUED} when the table kept a copy of it (a new resolution sends its first solicitation
 *     right after queueing, as Linux does, so that the solicitation can see the packet), or a drop code.</li>
 * <li>{@link #arpReceived}, {@link #nsReceived}, {@link #naReceived}, {@link #rsReceived}: what
 *     {@code arp_process}, {@code ndisc_recv_ns}, {@code ndisc_recv_na} and {@code ndisc_recv_rs} do to the
 *     table, after the caller's validation of the message.</li>
 * <li>{@link #nextDeadline()} / {@link #expire(long)}: the timers (per-entry NUD timers and the periodic GC).
 *     The owner calls {@code expire(t)} for each deadline t in time order before processing anything
 *     stamped later; each timer runs at its own due time.</li>
 * <li>{@link Events}: what the table asks of the pipeline (send a solicitation, transmit a released packet,
 *     account for a dropped one). Callbacks may call back into the table (Linux's error report sends an
 *     ICMP error through the same subsystem); a packet handed to a callback is valid during the call only.</li>
 * </ul>
 *
 * <h2>Timing (Linux's, with an exact clock)</h2>
 * A new resolution (NONE or FAILED) goes INCOMPLETE with probes = ucast_solicit and sends a broadcast ARP
 * request / multicast NS at once, then one every retrans_time while probes &lt; ucast + app + mcast_solicit:
 * with the defaults at t, t+1 s, t+2 s, and FAILED at t+3 s, each queued packet reported with
 * {@link #WHY_FAILED}. A confirmation makes the entry REACHABLE for reachable_time (base_reachable_time
 * exactly: jnft does not randomise it); the timer then finds it still alive at exactly that instant and
 * re-checks 10 ms later (HZ/100, as {@code neigh_timer_handler} does), when it goes STALE (or DELAY if used
 * within delay_first_probe_time). Using a STALE entry makes it DELAY; delay_first_probe_time later it goes
 * PROBE and sends ucast_solicit unicast probes retrans_time apart, then FAILED (packets keep going to the
 * old MAC meanwhile). Timers that Linux arms at least HZ/100 ahead are armed at least 10 ms ahead here.
 *
 * <h2>Queue</h2>
 * Packets wait only behind INCOMPLETE entries, copied into a {@link PacketPool} buffer with 64 bytes of
 * headroom. A queue holds at most unres_qlen_bytes counted as {@link PendingQueue#truesize} (the oldest
 * packets are dropped first, each reported with {@link #WHY_QUEUEFULL}); as in Linux a single packet larger
 * than the bound is still queued alone. The pool's memory is bounded by a budget (not a Linux knob): when it
 * is exhausted {@link #output4} returns {@link #DROP_NOBUF}.
 *
 * <h2>Entries and GC</h2>
 * Dynamic entries per family are bounded by gc_thresh3; creating one at gc_thresh3, or at gc_thresh2 with no
 * forced GC in the last 5 s, runs {@code neigh_forced_gc} (removes entries without timer that are FAILED or
 * not updated for 5 s, oldest created first); when that frees nothing at gc_thresh3 the packet is dropped
 * ({@link #DROP_CREATEFAIL}). The periodic GC runs base_reachable_time after the first call and every
 * base_reachable_time/2 after, and only when the family has gc_thresh1 entries or more: it removes entries
 * without timer that are FAILED or unused for gc_stale_time. PERMANENT entries ({@link #addPermanent4}) are
 * never changed by the wire nor collected.
 *
 * <h2>Files</h2>
 * This class is the API; the work is done by {@code NeighbourEntries} (storage and index),
 * {@code NudMachine} (neigh_update, __neigh_event_send, timers, probes, queues), {@code NeighbourGc}
 * (creation, forced and periodic GC, the timer clock) and {@code NeighbourInput} (ARP and NDP input).
 *
 * <p>Single-threaded; all entries, queues and timers are preallocated or pooled: in steady state nothing
 * here allocates (only {@link #list()} and table growth past its initial capacity do).
 */
public final class NeighbourTable {
    /** {@link #output4} result: the packet was queued behind an INCOMPLETE entry. */
    public static final long QUEUED = -1;
    /**
     * {@link #output4} result: resolution cannot start (mcast_solicit + app_solicit = 0), the entry is FAILED;
     * Linux drops the packet as NEIGH_FAILED without an ICMP error.
     */
    public static final long DROP_FAILED = -2;
    /** {@link #output4} result: no entry could be created (gc_thresh3 reached): NEIGH_CREATEFAIL. */
    public static final long DROP_CREATEFAIL = -3;
    /** {@link #output4} result: the packet pool's budget is exhausted (jnft only): count it NEIGH_QUEUEFULL. */
    public static final long DROP_NOBUF = -4;

    /** {@link Events#dropped} reason: pushed out of a full queue (NEIGH_QUEUEFULL). */
    public static final int WHY_QUEUEFULL = 1;
    /**
     * {@link Events#dropped} reason: resolution failed (neigh_invalidate); Linux's error_report sends ICMP host
     * unreachable (IPv4, then drops as NEIGH_FAILED) or ICMPv6 address unreachable (IPv6, then a plain
     * kfree_skb, i.e. NOT_SPECIFIED) about the packet.
     */
    public static final int WHY_FAILED = 2;
    /**
     * {@link Events#dropped} reason: freed without an error report, by {@link #purgeQueues()} (for instance at
     * the end of a replay) or, as Linux's {@code __skb_queue_purge}, when a callback re-entering the table
     * left packets behind an entry that failed or resolved meanwhile (drop reason NOT_SPECIFIED in Linux).
     */
    public static final int WHY_PURGED = 3;

    /** What the table asks of its owner. */
    public interface Events {
        /**
         * Send an ARP request for TARGET on DEV: broadcast when UNICASTMAC is -1, else a unicast probe to it.
         * TAIL is the newest queued packet (its IP header at {@code tail.offset()}), or null: arp_solicit takes
         * the request's sender address from its source when that is a local address (arp_announce 0), else
         * from inet_select_addr(dev, target, link scope).
         */
        void solicit4(NetDevice dev, int target, long unicastMac, PacketBuffer tail);

        /**
         * Send a neighbour solicitation for (HI, LO) on DEV: to the solicited-node multicast group when
         * UNICASTMAC is -1, else to the target address at UNICASTMAC. TAIL as for {@link #solicit4}
         * (ndisc_solicit uses its source when it is an address of DEV, else DEV's link-local address).
         */
        void solicit6(NetDevice dev, long hi, long lo, long unicastMac, PacketBuffer tail);

        /** A queued packet may go: its next hop resolved to MAC. The IP packet is at {@code pkt.offset()}. */
        void release(NetDevice dev, boolean ipv6, PacketBuffer pkt, long mac);

        /** A queued packet dies; WHY is {@link #WHY_QUEUEFULL}, {@link #WHY_FAILED} or {@link #WHY_PURGED}. */
        void dropped(NetDevice dev, boolean ipv6, PacketBuffer pkt, int why);

        /**
         * A neighbour's link-layer address became known or changed (neigh_update with a new lladdr): caches
         * of it (the flowtable's next-hop MACs) follow. IPv4 addresses come as LO.
         */
        default void lladdrChanged(NetDevice dev, boolean ipv6, long hi, long lo, long mac) {
        }
    }

    private final PacketPool pool;
    private final PendingQueue queue;
    private final NeighbourEntries en;
    private final NudMachine nud;
    private final NeighbourGc gc;
    private final NeighbourInput input;

    /** A table with Linux's defaults for both families and a 64 MiB packet pool budget. */
    public NeighbourTable(Events events) {
        this(NeighbourParams.ipv4Defaults(), NeighbourParams.ipv6Defaults(), events, 64L << 20);
    }

    /**
     * A table for IPv4 with V4 and IPv6 with V6; queued packets live in pooled buffers of at most
     * POOLBUDGET bytes in total.
     */
    public NeighbourTable(NeighbourParams v4, NeighbourParams v6, Events events, long poolBudget) {
        NeighbourParams[] params = {v4, v6};
        int cap = Math.max(16, Math.min(v4.gcThresh3(), 1 << 16) + Math.min(v6.gcThresh3(), 1 << 16) + 16);
        this.pool = new PacketPool(poolBudget, 16);
        this.queue = new PendingQueue(pool, cap);
        TimerHeap timers = new TimerHeap(cap);
        this.en = new NeighbourEntries(params, queue, timers, cap);
        this.nud = new NudMachine(en, events, pool, queue, timers);
        this.gc = new NeighbourGc(params, en, timers, nud);
        this.input = new NeighbourInput(params, en, gc, nud);
    }

    // ------------------------------------------------------------------ configuration

    /** A {@code neigh add ADDR lladdr MAC dev DEV} (NUD_PERMANENT) for IPv4. */
    public void addPermanent4(NetDevice device, int addr, long lladdr) {
        addPermanent(false, device, 0, addr & 0xFFFF_FFFFL, lladdr);
    }

    /** A {@code neigh add ADDR lladdr MAC dev DEV} (NUD_PERMANENT) for IPv6. */
    public void addPermanent6(NetDevice device, long hi, long lo, long lladdr) {
        addPermanent(true, device, hi, lo, lladdr);
    }

    /** Adds every {@code neigh add} line of CFG as a PERMANENT entry. */
    public void addPermanent(NetConfig cfg) {
        Devices d = cfg.devices();
        for (NetConfig.NeighSpec s : cfg.neighs) {
            NetDevice nd = d.byName(s.dev());
            if (s.ipv6()) {
                addPermanent6(nd, s.hi(), s.lo(), s.mac());
            } else {
                addPermanent4(nd, s.addr4(), s.mac());
            }
        }
    }

    private void addPermanent(boolean v6, NetDevice device, long hi, long lo, long lladdr) {
        int e = en.find(v6, device.ifindex(), hi, lo);
        if (e < 0) {
            e = en.newEntry(v6, device, hi, lo, gc.lastNow());
        } else {
            en.gcUnlink(e);
        }
        nud.update(e, lladdr & 0xFFFF_FFFF_FFFFL, NudState.PERMANENT, NudMachine.F_OVERRIDE | NudMachine.F_ADMIN,
                en.updated[e]);
    }

    // ------------------------------------------------------------------ output

    /**
     * neigh_resolve_output for the IPv4 packet [OFF, OFF+LEN) of SEG whose next hop is ADDR on DEV: the MAC to
     * send it to now (REACHABLE, PERMANENT, STALE -> DELAY, DELAY, PROBE), {@link #QUEUED} when a copy now
     * waits for resolution (NONE/FAILED -> INCOMPLETE, with a solicitation at once), or {@link #DROP_FAILED},
     * {@link #DROP_CREATEFAIL}, {@link #DROP_NOBUF} (the caller drops the packet; nothing was kept). Broadcast
     * and multicast next hops are the caller's business (Linux's NOARP entries). DROPIFINDEX (the device a
     * drop of the packet is charged to) is kept in the queued copy's {@link PacketBuffer#ifindex}, and the
     * time it was queued in its {@link PacketBuffer#timestamp}.
     */
    public long output4(NetDevice device, int addr, MemorySegment seg, long off, int len, int dropIfindex,
                        long now) {
        return output(false, device, 0, addr & 0xFFFF_FFFFL, seg, off, len, dropIfindex, now);
    }

    /** As {@link #output4} for an IPv6 packet whose next hop is (HI, LO) on DEV (never a multicast address). */
    public long output6(NetDevice device, long hi, long lo, MemorySegment seg, long off, int len, int dropIfindex,
                        long now) {
        return output(true, device, hi, lo, seg, off, len, dropIfindex, now);
    }

    private long output(boolean v6, NetDevice device, long hi, long lo, MemorySegment seg, long off, int len,
                        int dropIfindex, long now) {
        gc.touch(now);
        int e = en.find(v6, device.ifindex(), hi, lo);
        if (e >= 0 && (en.state[e] & NudState.CONNECTED) != 0) {
            return en.mac[e]; // the connected / hh fast path: no 'used' update, as in Linux
        }
        if (e < 0) {
            e = gc.create(v6, device, hi, lo, now);
            if (e < 0) {
                return DROP_CREATEFAIL;
            }
        }
        return nud.eventSend(e, v6, device, seg, off, len, dropIfindex, now);
    }

    // ------------------------------------------------------------------ input

    /**
     * arp_process's effect on the table, for a valid ARP request or reply received on DEV (the caller has
     * checked hardware and protocol types, lengths, the opcode, and that TIP is neither multicast nor
     * loopback).
     *
     * @param request    true for ARPOP_REQUEST, false for ARPOP_REPLY
     * @param tipLocal   true when this is a request whose TIP routes to a local address of the router
     *                   (ip_route_input gives RTN_LOCAL): the router will answer it
     * @param unicastToUs true when the frame was addressed to DEV's MAC (pkt_type PACKET_HOST)
     * @return for a request with TIPLOCAL, whether the ARP reply may be sent (false only when the sender's
     *         entry could not be created); otherwise true
     */
    public boolean arpReceived(NetDevice device, boolean request, int sip, long sha, int tip, long tha,
                               boolean tipLocal, boolean unicastToUs, long now) {
        return input.arp(device, request, sip, sha, tip, tha, tipLocal, unicastToUs, now);
    }

    /**
     * ndisc_recv_ns's effect on the table, for a valid NS on DEV from (SHI, SLO), not a DAD probe (the source
     * is specified), whose target is an address of DEV.
     *
     * @param slla          the source link-layer address option, -1 when absent
     * @param multicastDst  whether the NS was sent to a multicast address
     * @return whether the NA may be sent: Linux answers only when it has (or could create) the entry
     */
    public boolean nsReceived(NetDevice device, long shi, long slo, long slla, boolean multicastDst, long now) {
        return input.ns(device, shi, slo, slla, multicastDst, now);
    }

    /**
     * ndisc_recv_na's effect on the table, for a valid NA on DEV about TARGET (HI, LO): not multicast, not
     * ours, not a multicast solicited NA. Entries are never created (accept_untracked_na = 0) and FAILED ones
     * are left alone.
     *
     * @param tlla the target link-layer address option, -1 when absent
     */
    public void naReceived(NetDevice device, long hi, long lo, long tlla, boolean solicited, boolean override,
                           boolean isRouter, long now) {
        input.na(device, hi, lo, tlla, solicited, override, isRouter, now);
    }

    /**
     * ndisc_recv_rs's effect (a router, forwarding on): the soliciting host from a specified source becomes
     * STALE with its source link-layer address (SLLA, -1 when absent), and is marked not a router.
     */
    public void rsReceived(NetDevice device, long shi, long slo, long slla, long now) {
        input.rs(device, shi, slo, slla, now);
    }

    // ------------------------------------------------------------------ timers

    /** The earliest time at which {@link #expire} has work, Long.MAX_VALUE when none. */
    public long nextDeadline() {
        return gc.nextDeadline();
    }

    /** Runs every timer due at or before NOW, in time order, each at its own due time. */
    public void expire(long now) {
        gc.expire(now);
    }

    // ------------------------------------------------------------------ queries

    /** The MAC of IPv4 neighbour ADDR on IFINDEX when its state is valid, else -1. No state change. */
    public long mac4(int ifindex, int addr) {
        int e = en.find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e >= 0 && (en.state[e] & NudState.VALID) != 0 ? en.mac[e] : -1;
    }

    /** The MAC of IPv6 neighbour (HI, LO) on IFINDEX when its state is valid, else -1. No state change. */
    public long mac6(int ifindex, long hi, long lo) {
        int e = en.find(true, ifindex, hi, lo);
        return e >= 0 && (en.state[e] & NudState.VALID) != 0 ? en.mac[e] : -1;
    }

    /** The {@link NudState} of IPv4 neighbour ADDR on IFINDEX, -1 when there is no entry. */
    public int state4(int ifindex, int addr) {
        int e = en.find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e < 0 ? -1 : en.state[e];
    }

    /** The {@link NudState} of IPv6 neighbour (HI, LO) on IFINDEX, -1 when there is no entry. */
    public int state6(int ifindex, long hi, long lo) {
        int e = en.find(true, ifindex, hi, lo);
        return e < 0 ? -1 : en.state[e];
    }

    /** Packets queued behind IPv4 neighbour ADDR on IFINDEX. */
    public int queued4(int ifindex, int addr) {
        int e = en.find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e < 0 ? 0 : queue.count(e);
    }

    /** Packets queued behind IPv6 neighbour (HI, LO) on IFINDEX. */
    public int queued6(int ifindex, long hi, long lo) {
        int e = en.find(true, ifindex, hi, lo);
        return e < 0 ? 0 : queue.count(e);
    }

    /** Bytes (as counted against unres_qlen_bytes) queued behind an entry, for tests. */
    long queuedBytes(boolean v6, int ifindex, long hi, long lo) {
        int e = en.find(v6, ifindex, hi, lo);
        return e < 0 ? 0 : queue.bytes(e);
    }

    /** Bytes of packet buffers the pool has created so far (it never gives them back). */
    long pooledBytes() {
        return pool.createdBytes();
    }

    /** Packets queued in the whole table. */
    public int queued() {
        return pool.inUse();
    }

    /** Entries of a family, PERMANENT ones included. */
    public int size(boolean v6) {
        return en.count[NeighbourEntries.family(v6)];
    }

    /** Drops every queued packet (reported with {@link #WHY_PURGED}); the entries stay as they are. */
    public void purgeQueues() {
        nud.purgeQueues();
    }

    /**
     * The entries as {@code ip neigh show} prints them (IPv4 first, then IPv6; by ifindex, then address;
     * NONE entries hidden as iproute2 hides them): {@code ADDR dev NAME [lladdr MAC] [router] STATE}.
     */
    public String list() {
        return en.list();
    }
}
