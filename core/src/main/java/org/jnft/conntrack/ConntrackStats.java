package org.jnft.conntrack;

/**
 * Conntrack's statistics, named as {@code conntrack -S} prints them (Linux's {@code ip_conntrack_stat}).
 * A packet dropped because the table is full counts in {@link #drop}; the skb drop reason Linux gives
 * it is {@code NETFILTER_DROP} (nf_conntrack_in returns NF_DROP; there is no conntrack-specific
 * {@code skb_drop_reason}).
 */
public final class ConntrackStats {
    public long found;
    public long invalid;
    public long insert;
    public long insertFailed;
    public long drop;
    public long earlyDrop;
    public long error;
    public long clashResolve;
    /** Entries deleted by expiry (not a Linux counter). */
    public long expired;

    @Override
    public String toString() {
        return "found=" + found + " invalid=" + invalid + " insert=" + insert + " insert_failed=" + insertFailed
                + " drop=" + drop + " early_drop=" + earlyDrop + " error=" + error
                + " clash_resolve=" + clashResolve;
    }
}
