package org.jnft.route;

/**
 * Where neighbour entries come from and go (net/core/neighbour.c): neigh_alloc with its forced GC at
 * gc_thresh2/gc_thresh3, the periodic GC (neigh_periodic_work), the removal of an entry, and the one clock
 * that runs both the GC and the per-entry NUD timers in time order.
 */
final class NeighbourGc {
    private static final long FORCED_GC_AGE = 5_000_000_000L;

    private final NeighbourParams[] params;
    private final NeighbourEntries en;
    private final TimerHeap timers;
    private final NudMachine nud;

    // per family (0 = IPv4, 1 = IPv6)
    private final long[] lastFlush = new long[2];
    private final long[] gcNextRun = {Long.MAX_VALUE, Long.MAX_VALUE};
    private boolean started;
    private long lastNow;

    NeighbourGc(NeighbourParams[] params, NeighbourEntries en, TimerHeap timers, NudMachine nud) {
        this.params = params;
        this.en = en;
        this.timers = timers;
        this.nud = nud;
    }

    /** The time of the last call into the table, 0 before the first. */
    long lastNow() {
        return started ? lastNow : 0;
    }

    /**
     * Every entry point calls this first: the GC starts its clock at the first call, and a family below
     * gc_thresh1 skips the runs it missed (the periodic work does nothing then).
     */
    void touch(long now) {
        lastNow = now;
        if (!started) {
            started = true;
            for (int f = 0; f < 2; f++) {
                gcNextRun[f] = now + params[f].baseReachableTime();
                lastFlush[f] = now;
            }
        }
        for (int f = 0; f < 2; f++) {
            if (en.count[f] < params[f].gcThresh1() && gcNextRun[f] < now) {
                long period = gcPeriod(f);
                long k = (now - gcNextRun[f] + period - 1) / period;
                gcNextRun[f] += k * period;
            }
        }
    }

    private long gcPeriod(int f) {
        return Math.max(params[f].baseReachableTime() / 2, NudMachine.MIN_TIMER);
    }

    // ------------------------------------------------------------------ timers

    /** {@link NeighbourTable#nextDeadline()}. */
    long nextDeadline() {
        long t = timers.peekDeadline();
        for (int f = 0; f < 2; f++) {
            if (en.count[f] >= params[f].gcThresh1()) {
                t = Math.min(t, gcNextRun[f]);
            }
        }
        return t;
    }

    /** {@link NeighbourTable#expire(long)}: NUD timers and GC runs, earliest first (a tie goes to the NUD timer). */
    void expire(long now) {
        touch(now);
        while (true) {
            long te = timers.peekDeadline();
            int gf = -1;
            long tg = Long.MAX_VALUE;
            for (int f = 0; f < 2; f++) {
                if (en.count[f] >= params[f].gcThresh1() && gcNextRun[f] < tg) {
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
                nud.timerFired(e, te);
            } else {
                periodicGc(gf, tg);
                gcNextRun[gf] = tg + gcPeriod(gf);
            }
        }
    }

    // ------------------------------------------------------------------ entries

    /** neigh_alloc + ___neigh_create: a NONE entry, or -1 when the family's table is full. */
    int create(boolean v6, NetDevice device, long hi, long lo, long now) {
        int f = NeighbourEntries.family(v6);
        NeighbourParams p = params[f];
        int n = en.gcCount[f];
        if (n >= p.gcThresh3() || (n >= p.gcThresh2() && now > lastFlush[f] + FORCED_GC_AGE)) {
            if (forcedGc(f, now) == 0 && n >= p.gcThresh3()) {
                return -1;
            }
        }
        int e = en.newEntry(v6, device, hi, lo, now);
        en.gcLink(e);
        return e;
    }

    /** neigh_forced_gc: returns how many entries it removed. */
    private int forcedGc(int f, long now) {
        int maxClean = en.gcCount[f] + 1 - params[f].gcThresh2();
        int shrunk = 0;
        int e = en.gcFirst(f);
        while (e >= 0) {
            int nx = en.gcNext(e);
            if (!timers.armed(e)) {
                int s = en.state[e];
                if (s == NudState.FAILED || s == NudState.NOARP || en.updated[e] < now - FORCED_GC_AGE
                        || en.updated[e] > now) {
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
        if (en.count[f] < params[f].gcThresh1()) {
            return;
        }
        long stale = params[f].gcStaleTime();
        for (int e = 0; e < en.capacity; e++) {
            if (!en.live[e] || en.six[e] != (f == 1)) {
                continue;
            }
            int s = en.state[e];
            if ((s & (NudState.PERMANENT | NudState.IN_TIMER)) != 0) {
                continue;
            }
            if (en.used[e] < en.confirmed[e] && en.confirmed[e] <= now) {
                en.used[e] = en.confirmed[e];
            }
            if (!timers.armed(e) && (s == NudState.FAILED || now < en.used[e] || now >= en.used[e] + stale)) {
                remove(e);
            }
        }
    }

    /** neigh_mark_dead + neigh_release: timer off, queue purged, id freed. */
    private void remove(int e) {
        timers.cancel(e);
        nud.purge(e);
        en.free(e);
    }
}
