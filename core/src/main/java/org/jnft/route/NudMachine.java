package org.jnft.route;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.PacketBuffer;

/**
 * Linux's NUD state machine (net/core/neighbour.c) over the {@link NeighbourEntries}: what using an entry
 * does (__neigh_event_send, with the queue behind an INCOMPLETE entry), __neigh_update, neigh_timer_handler
 * and its probes, neigh_invalidate, and the release or purge of the queues. It talks to the pipeline through
 * {@link NeighbourTable.Events}; a callback may re-enter the table, so every loop that calls out re-checks
 * the entry's generation.
 */
final class NudMachine {
    // neigh_update flags (NEIGH_UPDATE_F_*)
    static final int F_OVERRIDE = 1;
    static final int F_WEAK_OVERRIDE = 2;
    static final int F_ADMIN = 4;
    static final int F_OVERRIDE_ISROUTER = 8;
    static final int F_ISROUTER = 16;

    /** HZ/100 with HZ = 1000: the shortest timer Linux arms for retransmissions. */
    static final long MIN_TIMER = 10_000_000L;

    private final NeighbourEntries en;
    private final NeighbourTable.Events events;
    private final PacketPool pool;
    private final PendingQueue queue;
    private final TimerHeap timers;

    NudMachine(NeighbourEntries en, NeighbourTable.Events events, PacketPool pool, PendingQueue queue,
               TimerHeap timers) {
        this.en = en;
        this.events = events;
        this.pool = pool;
        this.queue = queue;
        this.timers = timers;
    }

    // ------------------------------------------------------------------ use

    /**
     * __neigh_event_send (with neigh_resolve_output's queueing) for E, the not CONNECTED entry of a next hop
     * of family V6 on DEVICE, used at NOW by the packet [OFF, OFF+LEN) of SEG; results as
     * {@link NeighbourTable#output4}.
     */
    long eventSend(int e, boolean v6, NetDevice device, MemorySegment seg, long off, int len, int dropIfindex,
                   long now) {
        en.used[e] = now;
        int s = en.state[e];
        if ((s & (NudState.DELAY | NudState.PROBE)) != 0) {
            return en.mac[e];
        }
        NeighbourParams p = en.params(e);
        boolean probeNow = false;
        int g0 = en.gen[e];
        if (s == NudState.STALE) {
            toDelay(e, now);
            return en.mac[e];
        }
        if (s != NudState.INCOMPLETE) { // NONE or FAILED: start resolving
            if (p.mcastSolicit() + p.appSolicit() == 0) {
                en.state[e] = NudState.FAILED;
                en.updated[e] = now;
                return NeighbourTable.DROP_FAILED;
            }
            en.probes[e] = p.ucastSolicit();
            timers.cancel(e);
            en.state[e] = NudState.INCOMPLETE;
            en.updated[e] = now;
            addTimer(e, now + Math.max(p.retransTime(), MIN_TIMER));
            probeNow = true;
        }
        long result = NeighbourTable.QUEUED;
        int h = pool.copyOf(seg, off, len);
        if (h < 0) {
            result = NeighbourTable.DROP_NOBUF;
        } else {
            pool.get(h).ifindex = dropIfindex;
            pool.get(h).timestamp = now;
            int size = PendingQueue.truesize(len);
            int g = g0;
            while (en.gen[e] == g && queue.bytes(e) + size > p.unresQlenBytes()) {
                int old = queue.poll(e);
                if (old < 0) {
                    break;
                }
                report(device, v6, old, NeighbourTable.WHY_QUEUEFULL);
            }
            if (en.gen[e] == g && en.state[e] == NudState.INCOMPLETE) {
                queue.append(e, h);
            } else {
                pool.release(h); // a callback changed the entry under us
                result = NeighbourTable.DROP_NOBUF;
            }
        }
        if (probeNow && en.gen[e] == g0 && en.state[e] == NudState.INCOMPLETE) {
            probe(e);
        }
        return result;
    }

    // ------------------------------------------------------------------ timers

    /** neigh_timer_handler for entry E at time NOW. */
    void timerFired(int e, long now) {
        int s = en.state[e];
        if ((s & NudState.IN_TIMER) == 0) {
            return;
        }
        NeighbourParams p = en.params(e);
        long retrans = Math.max(p.retransTime(), MIN_TIMER);
        long next = now + 1_000_000_000L;
        if (s == NudState.REACHABLE) {
            if (now <= en.confirmed[e] + p.baseReachableTime()) {
                next = en.confirmed[e] + p.baseReachableTime();
            } else if (now <= en.used[e] + p.delayFirstProbeTime()) {
                en.state[e] = NudState.DELAY;
                en.updated[e] = now;
                next = now + p.delayFirstProbeTime();
            } else {
                en.state[e] = NudState.STALE;
                en.updated[e] = now;
            }
        } else if (s == NudState.DELAY) {
            if (now <= en.confirmed[e] + p.delayFirstProbeTime()) {
                en.state[e] = NudState.REACHABLE;
                en.updated[e] = now;
                next = en.confirmed[e] + p.baseReachableTime();
            } else {
                en.state[e] = NudState.PROBE;
                en.updated[e] = now;
                en.probes[e] = 0;
                next = now + retrans;
            }
        } else {
            next = now + retrans; // INCOMPLETE or PROBE
        }
        if ((en.state[e] & (NudState.INCOMPLETE | NudState.PROBE)) != 0 && en.probes[e] >= maxProbes(e)) {
            en.state[e] = NudState.FAILED;
            invalidate(e, now);
            return;
        }
        if ((en.state[e] & NudState.IN_TIMER) != 0) {
            addTimer(e, Math.max(next, now + MIN_TIMER));
        }
        if ((en.state[e] & (NudState.INCOMPLETE | NudState.PROBE)) != 0) {
            probe(e);
        }
    }

    private int maxProbes(int e) {
        NeighbourParams p = en.params(e);
        return p.ucastSolicit() + p.appSolicit()
                + (en.state[e] == NudState.PROBE ? p.mcastResolicit() : p.mcastSolicit());
    }

    /** neigh_probe: one solicitation, unicast while probes &lt; ucast_solicit, then app, then multicast. */
    private void probe(int e) {
        NeighbourParams p = en.params(e);
        int t = queue.tail(e);
        PacketBuffer tail = t < 0 ? null : pool.get(t);
        int n = en.probes[e] - p.ucastSolicit();
        en.probes[e]++;
        long to;
        if (n < 0) {
            to = en.mac[e];
        } else if (n - p.appSolicit() < 0) {
            return; // neigh_app_ns: a user-space resolver's turn; there is none
        } else {
            to = -1;
        }
        if (en.six[e]) {
            events.solicit6(en.dev[e], en.khi[e], en.klo[e], to, tail);
        } else {
            events.solicit4(en.dev[e], (int) en.klo[e], to, tail);
        }
    }

    /** neigh_invalidate: the entry is FAILED; every queued packet is reported, oldest first. */
    private void invalidate(int e, long now) {
        en.updated[e] = now;
        NetDevice d = en.dev[e];
        boolean v6 = en.six[e];
        int g = en.gen[e];
        int h;
        while (en.gen[e] == g && en.state[e] == NudState.FAILED && (h = queue.poll(e)) >= 0) {
            report(d, v6, h, NeighbourTable.WHY_FAILED);
        }
        if (en.gen[e] == g) {
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
     * are reported as {@link NeighbourTable#WHY_PURGED} so that the owner can count them.
     */
    void purge(int e) {
        NetDevice d = en.dev[e];
        boolean v6 = en.six[e];
        int g = en.gen[e];
        int h;
        while (en.gen[e] == g && (h = queue.poll(e)) >= 0) {
            report(d, v6, h, NeighbourTable.WHY_PURGED);
        }
    }

    private void addTimer(int e, long when) {
        if (en.used[e] < en.confirmed[e]) {
            en.used[e] = en.confirmed[e];
        }
        timers.arm(e, when);
    }

    private void toDelay(int e, long now) {
        timers.cancel(e);
        en.state[e] = NudState.DELAY;
        en.updated[e] = now;
        addTimer(e, now + en.params(e).delayFirstProbeTime());
    }

    // ------------------------------------------------------------------ neigh_update

    /** __neigh_update: LLADDR -1 means "not supplied". */
    void update(int e, long lladdr, int newState, int flags, long now) {
        int old = en.state[e];
        if ((flags & F_ADMIN) == 0 && (old & (NudState.NOARP | NudState.PERMANENT)) != 0) {
            return;
        }
        boolean sameAddr; // lladdr "is" neigh->ha in the kernel's pointer comparison
        if (lladdr < 0) {
            if ((old & NudState.VALID) == 0) {
                return;
            }
            lladdr = en.mac[e];
            sameAddr = true;
        } else {
            sameAddr = (old & NudState.VALID) != 0 && lladdr == en.mac[e];
        }
        if ((newState & NudState.CONNECTED) != 0) {
            en.confirmed[e] = now;
        }
        boolean updateIsRouter = (flags & F_OVERRIDE_ISROUTER) != 0;
        if ((old & NudState.VALID) != 0) {
            if (!sameAddr && (flags & F_OVERRIDE) == 0) {
                updateIsRouter = false;
                if ((flags & F_WEAK_OVERRIDE) != 0 && (old & NudState.CONNECTED) != 0) {
                    lladdr = en.mac[e];
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
            en.updated[e] = now;
        }
        NeighbourParams p = en.params(e);
        if (newState != old) {
            timers.cancel(e);
            if (newState == NudState.PROBE) {
                en.probes[e] = 0;
            }
            en.state[e] = newState;
            if ((newState & NudState.IN_TIMER) != 0) {
                addTimer(e, now + (newState == NudState.REACHABLE ? p.baseReachableTime() : 0));
            }
        }
        if (!sameAddr) {
            en.mac[e] = lladdr;
            if ((newState & NudState.CONNECTED) == 0) {
                en.confirmed[e] = now - 2 * p.baseReachableTime();
            }
        }
        if (updateIsRouter) {
            en.router[e] = (flags & F_ISROUTER) != 0;
        }
        if (!sameAddr || ((old & NudState.VALID) == 0 && (newState & NudState.VALID) != 0)) {
            events.lladdrChanged(en.dev[e], en.six[e], en.khi[e], en.klo[e], en.mac[e]);
        }
        if (newState != old && (old & NudState.VALID) == 0) {
            releaseQueue(e, now);
        }
    }

    /** The queue of an entry that just became valid goes out in order, each packet through neigh->output. */
    private void releaseQueue(int e, long now) {
        NetDevice d = en.dev[e];
        boolean v6 = en.six[e];
        int g = en.gen[e];
        int h;
        while (en.gen[e] == g && (en.state[e] & NudState.VALID) != 0 && (h = queue.poll(e)) >= 0) {
            if ((en.state[e] & NudState.CONNECTED) == 0) {
                en.used[e] = now; // neigh_resolve_output -> neigh_event_send
                if (en.state[e] == NudState.STALE) {
                    toDelay(e, now);
                }
            }
            try {
                events.release(d, v6, pool.get(h), en.mac[e]);
            } finally {
                pool.release(h);
            }
        }
        if (en.gen[e] == g) {
            purge(e);
        }
    }

    /** {@link NeighbourTable#purgeQueues()}. */
    void purgeQueues() {
        for (int e = 0; e < en.capacity; e++) {
            if (en.live[e]) {
                NetDevice d = en.dev[e];
                boolean v6 = en.six[e];
                int h;
                while (en.live[e] && (h = queue.poll(e)) >= 0) {
                    report(d, v6, h, NeighbourTable.WHY_PURGED);
                }
            }
        }
    }
}
