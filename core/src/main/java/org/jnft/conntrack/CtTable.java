package org.jnft.conntrack;

import static org.jnft.conntrack.CtConst.*;

import org.jnft.packet.IpProto;

/**
 * Where entries live (nf_conntrack_core.c's storage): the chained hash table holding both tuples of every
 * confirmed entry (nf_conntrack_hash), the array of confirmed entries the GC and the listing walk, the free
 * list that recycles entries, nf_conntrack_count against nf_conntrack_max with early drop, references, and the
 * GC (gc_worker) with its lower bound of the next deadline.
 */
final class CtTable {
    /** Told when an offloaded entry dies, so that its flow goes at once (see Conntrack#onDeath). */
    Conntrack.DeathListener onDeath;
    private static final int EVICTION_RANGE = 8;

    private final ConntrackParams params;
    private final ConntrackStats stats;
    private final CtTuple[] buckets;
    private final long seed;
    private CtEntry[] all = new CtEntry[256];
    private int allCount;
    private CtEntry free;
    private int count;
    private long minDeadline = Long.MAX_VALUE;
    private boolean gcEarlyDrop;

    CtTable(ConntrackParams params, ConntrackStats stats, long seed) {
        this.params = params;
        this.stats = stats;
        this.buckets = new CtTuple[Math.max(1, params.buckets)];
        this.seed = seed;
    }

    // ================================================================ hashing

    private static long mix(long h, long v) {
        h ^= v;
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }

    int hash(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone) {
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

    // ================================================================ lookup and insertion

    /** {@link Conntrack#count()}. */
    int count() {
        return count;
    }

    /** {@link Conntrack#size()}. */
    int size() {
        return allCount;
    }

    /** {@link Conntrack#entryAt(int)}. */
    CtEntry entryAt(int i) {
        return all[i];
    }

    /** {@link Conntrack#find}: __nf_conntrack_find_get, deleting the expired entry it meets. */
    CtTuple find(int l3, int proto, long sh, long sl, long dh, long dl, int sp, int dp, int zone, long now) {
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

    /** __nf_conntrack_hash_insert: both tuples into the table in E's zone, E CONFIRMED and listed. */
    void hashInsert(CtEntry e) {
        link(e.orig, e.zone);
        link(e.reply, e.zone);
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
    }

    // ================================================================ entry pool

    /**
     * __nf_conntrack_alloc: counts a new entry against nf_conntrack_max (early drop near the bucket of HASH,
     * the new tuple's, when full) and takes one from the free list. Null when the table is full.
     */
    CtEntry alloc(int hash) {
        count++;
        if (params.max > 0 && count > params.max) {
            if (!earlyDrop(hash)) {
                gcEarlyDrop = true;
                count--;
                return null;
            }
        }
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

    /** {@link Conntrack#kill}: nf_ct_kill. */
    void kill(CtEntry e) {
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
            } else if (e.offload != null && onDeath != null) {
                onDeath.dying(e); // last: the listener may drop the final reference
            }
        }
    }

    /** {@link Conntrack#put}: nf_ct_put, freeing a dying entry with its last reference. */
    void put(CtEntry e) {
        if (--e.refs == 0 && (e.status & IPS_DYING) != 0) {
            if ((e.status & IPS_CONFIRMED) == 0) {
                count--;
            }
            recycle(e);
        }
    }

    /**
     * early_drop: kills the non-ASSURED entries of the first of the EVICTION_RANGE buckets from HASH's that
     * has any; false when none has.
     */
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

    // ================================================================ deadlines and GC

    /** {@link Conntrack#setTimeout}: E's deadline, noted for {@link #nextDeadline}. */
    void setTimeout(CtEntry e, long deadline) {
        e.timeout = deadline;
        if (deadline < minDeadline) {
            minDeadline = deadline;
        }
    }

    /** {@link Conntrack#nextDeadline()}. */
    long nextDeadline() {
        return allCount == 0 ? Long.MAX_VALUE : minDeadline;
    }

    /** {@link Conntrack#expire}: gc_worker. */
    int expire(long now) {
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
}
