package org.jnft.route;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    // neigh_update flags (NEIGH_UPDATE_F_*)
    private static final int F_OVERRIDE = 1;
    private static final int F_WEAK_OVERRIDE = 2;
    private static final int F_ADMIN = 4;
    private static final int F_OVERRIDE_ISROUTER = 8;
    private static final int F_ISROUTER = 16;

    /** HZ/100 with HZ = 1000: the shortest timer Linux arms for retransmissions. */
    static final long MIN_TIMER = 10_000_000L;
    private static final long FORCED_GC_AGE = 5_000_000_000L;

    private final NeighbourParams[] params = new NeighbourParams[2];
    private final Events events;
    private final PacketPool pool;
    private final PendingQueue queue;
    private final TimerHeap timers;

    // entries, struct of arrays indexed by entry id
    private int capacity;
    private boolean[] live;
    private boolean[] six;
    private int[] ifx;
    private long[] khi;
    private long[] klo;
    private NetDevice[] dev;
    private long[] mac;
    private int[] state;
    private boolean[] router;
    private long[] updated;
    private long[] used;
    private long[] confirmed;
    private int[] probes;
    private int[] gen;
    private int[] gcPrev;
    private int[] gcNext;
    private int[] freeIds;
    private int freeTop;
    // open addressing index: entry id + 1, 0 = empty
    private int[] slots;
    private int mask;

    // per family (0 = IPv4, 1 = IPv6)
    private final int[] entries = new int[2];
    private final int[] gcEntries = new int[2];
    private final long[] lastFlush = new long[2];
    private final int[] gcHead = {-1, -1};
    private final int[] gcTail = {-1, -1};
    private final long[] gcNextRun = {Long.MAX_VALUE, Long.MAX_VALUE};
    private boolean started;
    private long lastNow;

    /** A table with Linux's defaults for both families and a 64 MiB packet pool budget. */
    public NeighbourTable(Events events) {
        this(NeighbourParams.ipv4Defaults(), NeighbourParams.ipv6Defaults(), events, 64L << 20);
    }

    /**
     * A table for IPv4 with V4 and IPv6 with V6; queued packets live in pooled buffers of at most
     * POOLBUDGET bytes in total.
     */
    public NeighbourTable(NeighbourParams v4, NeighbourParams v6, Events events, long poolBudget) {
        this.params[0] = v4;
        this.params[1] = v6;
        this.events = events;
        int cap = Math.max(16, Math.min(v4.gcThresh3(), 1 << 16) + Math.min(v6.gcThresh3(), 1 << 16) + 16);
        this.pool = new PacketPool(poolBudget, 16);
        this.queue = new PendingQueue(pool, cap);
        this.timers = new TimerHeap(cap);
        allocate(cap);
    }

    private void allocate(int cap) {
        int old = capacity;
        capacity = cap;
        live = Arrays.copyOf(live == null ? new boolean[0] : live, cap);
        six = Arrays.copyOf(six == null ? new boolean[0] : six, cap);
        ifx = Arrays.copyOf(ifx == null ? new int[0] : ifx, cap);
        khi = Arrays.copyOf(khi == null ? new long[0] : khi, cap);
        klo = Arrays.copyOf(klo == null ? new long[0] : klo, cap);
        dev = Arrays.copyOf(dev == null ? new NetDevice[0] : dev, cap);
        mac = Arrays.copyOf(mac == null ? new long[0] : mac, cap);
        state = Arrays.copyOf(state == null ? new int[0] : state, cap);
        router = Arrays.copyOf(router == null ? new boolean[0] : router, cap);
        updated = Arrays.copyOf(updated == null ? new long[0] : updated, cap);
        used = Arrays.copyOf(used == null ? new long[0] : used, cap);
        confirmed = Arrays.copyOf(confirmed == null ? new long[0] : confirmed, cap);
        probes = Arrays.copyOf(probes == null ? new int[0] : probes, cap);
        gen = Arrays.copyOf(gen == null ? new int[0] : gen, cap);
        gcPrev = Arrays.copyOf(gcPrev == null ? new int[0] : gcPrev, cap);
        gcNext = Arrays.copyOf(gcNext == null ? new int[0] : gcNext, cap);
        int[] oldFree = freeIds == null ? new int[0] : freeIds;
        freeIds = new int[cap];
        System.arraycopy(oldFree, 0, freeIds, 0, freeTop);
        for (int id = cap - 1; id >= old; id--) {
            freeIds[freeTop++] = id;
        }
        if (old > 0) {
            queue.grow(cap);
            timers.grow(cap);
        }
        int size = Integer.highestOneBit(cap * 2 - 1) * 2;
        slots = new int[size];
        mask = size - 1;
        for (int id = 0; id < old; id++) {
            if (live[id]) {
                insertSlot(id);
            }
        }
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
        int e = find(v6, device.ifindex(), hi, lo);
        if (e < 0) {
            if (freeTop == 0) {
                allocate(capacity * 2);
            }
            e = newEntry(v6, device, hi, lo, started ? lastNow : 0);
            entries[v6 ? 1 : 0]++;
        } else {
            gcUnlink(e);
        }
        update(e, lladdr & 0xFFFF_FFFF_FFFFL, NudState.PERMANENT, F_OVERRIDE | F_ADMIN, updated[e]);
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
        touch(now);
        int e = find(v6, device.ifindex(), hi, lo);
        if (e >= 0 && (state[e] & NudState.CONNECTED) != 0) {
            return mac[e]; // the connected / hh fast path: no 'used' update, as in Linux
        }
        if (e < 0) {
            e = create(v6, device, hi, lo, now);
            if (e < 0) {
                return DROP_CREATEFAIL;
            }
        }
        used[e] = now;
        int s = state[e];
        if ((s & (NudState.DELAY | NudState.PROBE)) != 0) {
            return mac[e];
        }
        NeighbourParams p = params[v6 ? 1 : 0];
        boolean probeNow = false;
        int g0 = gen[e];
        if (s == NudState.STALE) {
            toDelay(e, now);
            return mac[e];
        }
        if (s != NudState.INCOMPLETE) { // NONE or FAILED: start resolving
            if (p.mcastSolicit() + p.appSolicit() == 0) {
                state[e] = NudState.FAILED;
                updated[e] = now;
                return DROP_FAILED;
            }
            probes[e] = p.ucastSolicit();
            timers.cancel(e);
            state[e] = NudState.INCOMPLETE;
            updated[e] = now;
            addTimer(e, now + Math.max(p.retransTime(), MIN_TIMER));
            probeNow = true;
        }
        long result = QUEUED;
        int h = pool.copyOf(seg, off, len);
        if (h < 0) {
            result = DROP_NOBUF;
        } else {
            pool.get(h).ifindex = dropIfindex;
            pool.get(h).timestamp = now;
            int size = PendingQueue.truesize(len);
            int g = g0;
            while (gen[e] == g && queue.bytes(e) + size > p.unresQlenBytes()) {
                int old = queue.poll(e);
                if (old < 0) {
                    break;
                }
                report(device, v6, old, WHY_QUEUEFULL);
            }
            if (gen[e] == g && state[e] == NudState.INCOMPLETE) {
                queue.append(e, h);
            } else {
                pool.release(h); // a callback changed the entry under us
                result = DROP_NOBUF;
            }
        }
        if (probeNow && gen[e] == g0 && state[e] == NudState.INCOMPLETE) {
            probe(e);
        }
        return result;
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
        touch(now);
        if (sip == 0) {
            return true; // a DAD probe (RFC 2131): answered, never learned
        }
        long key = sip & 0xFFFF_FFFFL;
        if (request && tipLocal) {
            // neigh_event_ns: create the sender's entry, STALE with its address, override allowed.
            int e = find(false, device.ifindex(), 0, key);
            if (e < 0) {
                e = create(false, device, 0, key, now);
                if (e < 0) {
                    return false;
                }
            }
            update(e, sha & 0xFFFF_FFFF_FFFFL, NudState.STALE, F_OVERRIDE, now);
            return true;
        }
        int e = find(false, device.ifindex(), 0, key);
        if (e < 0) {
            return true; // arp_accept = 0: unsolicited ARP creates nothing
        }
        boolean garp = sip == tip && (request || tha == sha);
        boolean override = now > updated[e] + params[0].locktime() || garp;
        int newState = !request && unicastToUs ? NudState.REACHABLE : NudState.STALE;
        update(e, sha & 0xFFFF_FFFF_FFFFL, newState, override ? F_OVERRIDE : 0, now);
        return true;
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
        touch(now);
        int e = find(true, device.ifindex(), shi, slo);
        if (e < 0 && (!multicastDst || slla >= 0)) {
            e = create(true, device, shi, slo, now);
        }
        if (e < 0) {
            return false;
        }
        update(e, slla < 0 ? -1 : slla & 0xFFFF_FFFF_FFFFL, NudState.STALE, F_WEAK_OVERRIDE | F_OVERRIDE, now);
        return true;
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
        touch(now);
        int e = find(true, device.ifindex(), hi, lo);
        if (e < 0 || state[e] == NudState.FAILED) {
            return;
        }
        update(e, tlla < 0 ? -1 : tlla & 0xFFFF_FFFF_FFFFL, solicited ? NudState.REACHABLE : NudState.STALE,
                F_WEAK_OVERRIDE | (override ? F_OVERRIDE : 0) | F_OVERRIDE_ISROUTER | (isRouter ? F_ISROUTER : 0),
                now);
    }

    /**
     * ndisc_recv_rs's effect (a router, forwarding on): the soliciting host from a specified source becomes
     * STALE with its source link-layer address (SLLA, -1 when absent), and is marked not a router.
     */
    public void rsReceived(NetDevice device, long shi, long slo, long slla, long now) {
        touch(now);
        if (shi == 0 && slo == 0) {
            return;
        }
        int e = find(true, device.ifindex(), shi, slo);
        if (e < 0) {
            e = create(true, device, shi, slo, now);
            if (e < 0) {
                return;
            }
        }
        update(e, slla < 0 ? -1 : slla & 0xFFFF_FFFF_FFFFL, NudState.STALE,
                F_WEAK_OVERRIDE | F_OVERRIDE | F_OVERRIDE_ISROUTER, now);
    }

    // ------------------------------------------------------------------ timers

    /** The earliest time at which {@link #expire} has work, Long.MAX_VALUE when none. */
    public long nextDeadline() {
        long t = timers.peekDeadline();
        for (int f = 0; f < 2; f++) {
            if (entries[f] >= params[f].gcThresh1()) {
                t = Math.min(t, gcNextRun[f]);
            }
        }
        return t;
    }

    /** Runs every timer due at or before NOW, in time order, each at its own due time. */
    public void expire(long now) {
        touch(now);
        while (true) {
            long te = timers.peekDeadline();
            int gf = -1;
            long tg = Long.MAX_VALUE;
            for (int f = 0; f < 2; f++) {
                if (entries[f] >= params[f].gcThresh1() && gcNextRun[f] < tg) {
                    tg = gcNextRun[f];
                    gf = f;
                }
            }
            if (Math.min(te, tg) > now) {
                return;
            }
            if (te <= tg) {
                int e = timers.peek();
                timers.cancel(e);
                timerFired(e, te);
            } else {
                periodicGc(gf, tg);
                gcNextRun[gf] = tg + gcPeriod(gf);
            }
        }
    }

    /** neigh_timer_handler for entry E at time NOW. */
    private void timerFired(int e, long now) {
        int s = state[e];
        if ((s & NudState.IN_TIMER) == 0) {
            return;
        }
        NeighbourParams p = params[six[e] ? 1 : 0];
        long retrans = Math.max(p.retransTime(), MIN_TIMER);
        long next = now + 1_000_000_000L;
        if (s == NudState.REACHABLE) {
            if (now <= confirmed[e] + p.baseReachableTime()) {
                next = confirmed[e] + p.baseReachableTime();
            } else if (now <= used[e] + p.delayFirstProbeTime()) {
                state[e] = NudState.DELAY;
                updated[e] = now;
                next = now + p.delayFirstProbeTime();
            } else {
                state[e] = NudState.STALE;
                updated[e] = now;
            }
        } else if (s == NudState.DELAY) {
            if (now <= confirmed[e] + p.delayFirstProbeTime()) {
                state[e] = NudState.REACHABLE;
                updated[e] = now;
                next = confirmed[e] + p.baseReachableTime();
            } else {
                state[e] = NudState.PROBE;
                updated[e] = now;
                probes[e] = 0;
                next = now + retrans;
            }
        } else {
            next = now + retrans; // INCOMPLETE or PROBE
        }
        if ((state[e] & (NudState.INCOMPLETE | NudState.PROBE)) != 0 && probes[e] >= maxProbes(e)) {
            state[e] = NudState.FAILED;
            invalidate(e, now);
            return;
        }
        if ((state[e] & NudState.IN_TIMER) != 0) {
            addTimer(e, Math.max(next, now + MIN_TIMER));
        }
        if ((state[e] & (NudState.INCOMPLETE | NudState.PROBE)) != 0) {
            probe(e);
        }
    }

    private int maxProbes(int e) {
        NeighbourParams p = params[six[e] ? 1 : 0];
        return p.ucastSolicit() + p.appSolicit()
                + (state[e] == NudState.PROBE ? p.mcastResolicit() : p.mcastSolicit());
    }

    /** neigh_probe: one solicitation, unicast while probes &lt; ucast_solicit, then app, then multicast. */
    private void probe(int e) {
        NeighbourParams p = params[six[e] ? 1 : 0];
        int t = queue.tail(e);
        PacketBuffer tail = t < 0 ? null : pool.get(t);
        int n = probes[e] - p.ucastSolicit();
        probes[e]++;
        long to;
        if (n < 0) {
            to = mac[e];
        } else if (n - p.appSolicit() < 0) {
            return; // neigh_app_ns: a user-space resolver's turn; there is none
        } else {
            to = -1;
        }
        if (six[e]) {
            events.solicit6(dev[e], khi[e], klo[e], to, tail);
        } else {
            events.solicit4(dev[e], (int) klo[e], to, tail);
        }
    }

    /** neigh_invalidate: the entry is FAILED; every queued packet is reported, oldest first. */
    private void invalidate(int e, long now) {
        updated[e] = now;
        NetDevice d = dev[e];
        boolean v6 = six[e];
        int g = gen[e];
        int h;
        while (gen[e] == g && state[e] == NudState.FAILED && (h = queue.poll(e)) >= 0) {
            report(d, v6, h, WHY_FAILED);
        }
        if (gen[e] == g) {
            purge(e);
        }
    }

    private void report(NetDevice d, boolean v6, int h, int why) {
        try {
            events.dropped(d, v6, pool.get(h), why);
        } finally {
            pool.release(h);
        }
    }

    /**
     * Linux's __skb_queue_purge of what is left in E's queue: the packets die without an error report; they
     * are reported as {@link #WHY_PURGED} so that the owner can count them.
     */
    private void purge(int e) {
        NetDevice d = dev[e];
        boolean v6 = six[e];
        int g = gen[e];
        int h;
        while (gen[e] == g && (h = queue.poll(e)) >= 0) {
            report(d, v6, h, WHY_PURGED);
        }
    }

    private void addTimer(int e, long when) {
        if (used[e] < confirmed[e]) {
            used[e] = confirmed[e];
        }
        timers.arm(e, when);
    }

    private void toDelay(int e, long now) {
        timers.cancel(e);
        state[e] = NudState.DELAY;
        updated[e] = now;
        addTimer(e, now + params[six[e] ? 1 : 0].delayFirstProbeTime());
    }

    // ------------------------------------------------------------------ neigh_update

    /** __neigh_update: LLADDR -1 means "not supplied". */
    private void update(int e, long lladdr, int newState, int flags, long now) {
        int old = state[e];
        if ((flags & F_ADMIN) == 0 && (old & (NudState.NOARP | NudState.PERMANENT)) != 0) {
            return;
        }
        boolean sameAddr; // lladdr "is" neigh->ha in the kernel's pointer comparison
        if (lladdr < 0) {
            if ((old & NudState.VALID) == 0) {
                return;
            }
            lladdr = mac[e];
            sameAddr = true;
        } else {
            sameAddr = (old & NudState.VALID) != 0 && lladdr == mac[e];
        }
        if ((newState & NudState.CONNECTED) != 0) {
            confirmed[e] = now;
        }
        boolean updateIsRouter = (flags & F_OVERRIDE_ISROUTER) != 0;
        if ((old & NudState.VALID) != 0) {
            if (!sameAddr && (flags & F_OVERRIDE) == 0) {
                updateIsRouter = false;
                if ((flags & F_WEAK_OVERRIDE) != 0 && (old & NudState.CONNECTED) != 0) {
                    lladdr = mac[e];
                    sameAddr = true;
                    newState = NudState.STALE;
                } else {
                    return;
                }
            } else if (sameAddr && newState == NudState.STALE && (flags & F_ADMIN) == 0) {
                newState = old;
            }
        }
        if (newState != old || !sameAddr) {
            updated[e] = now;
        }
        NeighbourParams p = params[six[e] ? 1 : 0];
        if (newState != old) {
            timers.cancel(e);
            if (newState == NudState.PROBE) {
                probes[e] = 0;
            }
            state[e] = newState;
            if ((newState & NudState.IN_TIMER) != 0) {
                addTimer(e, now + (newState == NudState.REACHABLE ? p.baseReachableTime() : 0));
            }
        }
        if (!sameAddr) {
            mac[e] = lladdr;
            if ((newState & NudState.CONNECTED) == 0) {
                confirmed[e] = now - 2 * p.baseReachableTime();
            }
        }
        if (updateIsRouter) {
            router[e] = (flags & F_ISROUTER) != 0;
        }
        if (!sameAddr || ((old & NudState.VALID) == 0 && (newState & NudState.VALID) != 0)) {
            events.lladdrChanged(dev[e], six[e], khi[e], klo[e], mac[e]);
        }
        if (newState != old && (old & NudState.VALID) == 0) {
            releaseQueue(e, now);
        }
    }

    /** The queue of an entry that just became valid goes out in order, each packet through neigh->output. */
    private void releaseQueue(int e, long now) {
        NetDevice d = dev[e];
        boolean v6 = six[e];
        int g = gen[e];
        int h;
        while (gen[e] == g && (state[e] & NudState.VALID) != 0 && (h = queue.poll(e)) >= 0) {
            if ((state[e] & NudState.CONNECTED) == 0) {
                used[e] = now; // neigh_resolve_output -> neigh_event_send
                if (state[e] == NudState.STALE) {
                    toDelay(e, now);
                }
            }
            try {
                events.release(d, v6, pool.get(h), mac[e]);
            } finally {
                pool.release(h);
            }
        }
        if (gen[e] == g) {
            purge(e);
        }
    }

    // ------------------------------------------------------------------ entries, GC

    private void touch(long now) {
        lastNow = now;
        if (!started) {
            started = true;
            for (int f = 0; f < 2; f++) {
                gcNextRun[f] = now + params[f].baseReachableTime();
                lastFlush[f] = now;
            }
        }
        for (int f = 0; f < 2; f++) {
            if (entries[f] < params[f].gcThresh1() && gcNextRun[f] < now) {
                long period = gcPeriod(f);
                long k = (now - gcNextRun[f] + period - 1) / period;
                gcNextRun[f] += k * period;
            }
        }
    }

    private long gcPeriod(int f) {
        return Math.max(params[f].baseReachableTime() / 2, MIN_TIMER);
    }

    /** neigh_alloc + ___neigh_create: a NONE entry, or -1 when the family's table is full. */
    private int create(boolean v6, NetDevice device, long hi, long lo, long now) {
        int f = v6 ? 1 : 0;
        NeighbourParams p = params[f];
        int n = gcEntries[f];
        if (n >= p.gcThresh3() || (n >= p.gcThresh2() && now > lastFlush[f] + FORCED_GC_AGE)) {
            if (forcedGc(f, now) == 0 && n >= p.gcThresh3()) {
                return -1;
            }
        }
        if (freeTop == 0) {
            allocate(capacity * 2);
        }
        int e = newEntry(v6, device, hi, lo, now);
        entries[f]++;
        gcEntries[f]++;
        gcPrev[e] = gcTail[f];
        gcNext[e] = -1;
        if (gcTail[f] < 0) {
            gcHead[f] = e;
        } else {
            gcNext[gcTail[f]] = e;
        }
        gcTail[f] = e;
        return e;
    }

    private int newEntry(boolean v6, NetDevice device, long hi, long lo, long now) {
        int e = freeIds[--freeTop];
        live[e] = true;
        six[e] = v6;
        ifx[e] = device.ifindex();
        khi[e] = hi;
        klo[e] = lo;
        dev[e] = device;
        mac[e] = 0;
        state[e] = NudState.NONE;
        router[e] = false;
        updated[e] = now;
        used[e] = now;
        confirmed[e] = now - 2 * params[v6 ? 1 : 0].baseReachableTime();
        probes[e] = 0;
        gcPrev[e] = -1;
        gcNext[e] = -1;
        gen[e]++;
        insertSlot(e);
        return e;
    }

    /** neigh_forced_gc: returns how many entries it removed. */
    private int forcedGc(int f, long now) {
        int maxClean = gcEntries[f] + 1 - params[f].gcThresh2();
        int shrunk = 0;
        int e = gcHead[f];
        while (e >= 0) {
            int nx = gcNext[e];
            if (!timers.armed(e)) {
                int s = state[e];
                if (s == NudState.FAILED || s == NudState.NOARP || updated[e] < now - FORCED_GC_AGE
                        || updated[e] > now) {
                    remove(e);
                    shrunk++;
                }
                if (shrunk >= maxClean) {
                    break;
                }
            }
            e = nx;
        }
        lastFlush[f] = now;
        return shrunk;
    }

    /** neigh_periodic_work for family F at time NOW. */
    private void periodicGc(int f, long now) {
        if (entries[f] < params[f].gcThresh1()) {
            return;
        }
        long stale = params[f].gcStaleTime();
        for (int e = 0; e < capacity; e++) {
            if (!live[e] || six[e] != (f == 1)) {
                continue;
            }
            int s = state[e];
            if ((s & (NudState.PERMANENT | NudState.IN_TIMER)) != 0) {
                continue;
            }
            if (used[e] < confirmed[e] && confirmed[e] <= now) {
                used[e] = confirmed[e];
            }
            if (!timers.armed(e) && (s == NudState.FAILED || now < used[e] || now >= used[e] + stale)) {
                remove(e);
            }
        }
    }

    private void remove(int e) {
        int f = six[e] ? 1 : 0;
        timers.cancel(e);
        purge(e);
        deleteSlot(e);
        if (state[e] != NudState.PERMANENT) {
            gcUnlink(e);
        }
        live[e] = false;
        dev[e] = null;
        gen[e]++;
        entries[f]--;
        freeIds[freeTop++] = e;
    }

    private void gcUnlink(int e) {
        if (state[e] == NudState.PERMANENT) {
            return;
        }
        int f = six[e] ? 1 : 0;
        if (gcPrev[e] < 0 && gcHead[f] != e) {
            return; // not on the list
        }
        if (gcPrev[e] < 0) {
            gcHead[f] = gcNext[e];
        } else {
            gcNext[gcPrev[e]] = gcNext[e];
        }
        if (gcNext[e] < 0) {
            gcTail[f] = gcPrev[e];
        } else {
            gcPrev[gcNext[e]] = gcPrev[e];
        }
        gcPrev[e] = -1;
        gcNext[e] = -1;
        gcEntries[f]--;
    }

    // ------------------------------------------------------------------ hash index

    private static int hash(boolean v6, int ifindex, long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L + lo) * 0xC2B2AE3D27D4EB4FL + ifindex * 0x165667B19E3779F9L
                + (v6 ? 0x27D4EB2F165667C5L : 0);
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 32));
    }

    private int find(boolean v6, int ifindex, long hi, long lo) {
        for (int i = hash(v6, ifindex, hi, lo) & mask; slots[i] != 0; i = (i + 1) & mask) {
            int e = slots[i] - 1;
            if (klo[e] == lo && khi[e] == hi && ifx[e] == ifindex && six[e] == v6) {
                return e;
            }
        }
        return -1;
    }

    private void insertSlot(int e) {
        int i = hash(six[e], ifx[e], khi[e], klo[e]) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = e + 1;
    }

    private void deleteSlot(int e) {
        int i = hash(six[e], ifx[e], khi[e], klo[e]) & mask;
        while (slots[i] != e + 1) {
            i = (i + 1) & mask;
        }
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slots[j] == 0) {
                break;
            }
            int o = slots[j] - 1;
            int home = hash(six[o], ifx[o], khi[o], klo[o]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = 0;
    }

    // ------------------------------------------------------------------ queries

    /** The MAC of IPv4 neighbour ADDR on IFINDEX when its state is valid, else -1. No state change. */
    public long mac4(int ifindex, int addr) {
        int e = find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e >= 0 && (state[e] & NudState.VALID) != 0 ? mac[e] : -1;
    }

    /** The MAC of IPv6 neighbour (HI, LO) on IFINDEX when its state is valid, else -1. No state change. */
    public long mac6(int ifindex, long hi, long lo) {
        int e = find(true, ifindex, hi, lo);
        return e >= 0 && (state[e] & NudState.VALID) != 0 ? mac[e] : -1;
    }

    /** The {@link NudState} of IPv4 neighbour ADDR on IFINDEX, -1 when there is no entry. */
    public int state4(int ifindex, int addr) {
        int e = find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e < 0 ? -1 : state[e];
    }

    /** The {@link NudState} of IPv6 neighbour (HI, LO) on IFINDEX, -1 when there is no entry. */
    public int state6(int ifindex, long hi, long lo) {
        int e = find(true, ifindex, hi, lo);
        return e < 0 ? -1 : state[e];
    }

    /** Packets queued behind IPv4 neighbour ADDR on IFINDEX. */
    public int queued4(int ifindex, int addr) {
        int e = find(false, ifindex, 0, addr & 0xFFFF_FFFFL);
        return e < 0 ? 0 : queue.count(e);
    }

    /** Packets queued behind IPv6 neighbour (HI, LO) on IFINDEX. */
    public int queued6(int ifindex, long hi, long lo) {
        int e = find(true, ifindex, hi, lo);
        return e < 0 ? 0 : queue.count(e);
    }

    /** Bytes (as counted against unres_qlen_bytes) queued behind an entry, for tests. */
    long queuedBytes(boolean v6, int ifindex, long hi, long lo) {
        int e = find(v6, ifindex, hi, lo);
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
        return entries[v6 ? 1 : 0];
    }

    /** Drops every queued packet (reported with {@link #WHY_PURGED}); the entries stay as they are. */
    public void purgeQueues() {
        for (int e = 0; e < capacity; e++) {
            if (live[e]) {
                NetDevice d = dev[e];
                boolean v6 = six[e];
                int h;
                while (live[e] && (h = queue.poll(e)) >= 0) {
                    report(d, v6, h, WHY_PURGED);
                }
            }
        }
    }

    /**
     * The entries as {@code ip neigh show} prints them (IPv4 first, then IPv6; by ifindex, then address;
     * NONE entries hidden as iproute2 hides them): {@code ADDR dev NAME [lladdr MAC] [router] STATE}.
     */
    public String list() {
        List<Integer> ids = new ArrayList<>();
        for (int e = 0; e < capacity; e++) {
            if (live[e] && state[e] != NudState.NONE) {
                ids.add(e);
            }
        }
        ids.sort((a, b) -> {
            int c = Boolean.compare(six[a], six[b]);
            if (c == 0) {
                c = Integer.compare(ifx[a], ifx[b]);
            }
            if (c == 0) {
                c = Long.compareUnsigned(khi[a], khi[b]);
            }
            if (c == 0) {
                c = Long.compareUnsigned(klo[a], klo[b]);
            }
            return c;
        });
        StringBuilder sb = new StringBuilder();
        for (int e : ids) {
            sb.append(six[e] ? Inet.format6(khi[e], klo[e]) : Inet.format4((int) klo[e]));
            sb.append(" dev ").append(dev[e].name());
            if ((state[e] & NudState.VALID) != 0) {
                sb.append(" lladdr ").append(Inet.formatMac(mac[e]));
            }
            if (router[e]) {
                sb.append(" router");
            }
            sb.append(' ').append(NudState.name(state[e])).append('\n');
        }
        return sb.toString();
    }
}
