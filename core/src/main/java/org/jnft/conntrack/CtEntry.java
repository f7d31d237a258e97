package org.jnft.conntrack;

/**
 * A connection ({@code struct nf_conn}): ORIGINAL and REPLY tuples, status bits, mark, zone, deadline,
 * counters and per-protocol state. Entries are pooled by {@link Conntrack} and recycled: never keep one
 * past its death unless you hold a reference ({@link Conntrack#get}/{@link Conntrack#put}).
 *
 * <p>Fields are public for the data plane's sake; the setters that must go through the table (timeouts,
 * status) are on {@link Conntrack}. The reply tuple may be rewritten by NAT before confirmation
 * ({@link Conntrack#alterReply}).
 */
public final class CtEntry {
    public final CtTuple orig = new CtTuple(this, CtConst.DIR_ORIGINAL);
    public final CtTuple reply = new CtTuple(this, CtConst.DIR_REPLY);

    /** IPS_* bits. */
    public int status;
    /** ct mark. */
    public int mark;
    /** Conntrack zone (0 = default). */
    public int zone;
    /** Absolute deadline on the engine clock, ns. */
    public long timeout;
    /** Per-direction counters, kept only when {@link #acct} (nf_conntrack_acct at creation). */
    public long origPackets;
    public long origBytes;
    public long replyPackets;
    public long replyBytes;
    public boolean acct;
    /** References besides the hash table's (e.g. the flowtable's); conntrack -L prints use=1+refs. */
    public int refs;
    /**
     * The flowtable's handle of the flow that holds this entry (null when not offloaded), opaque here:
     * conntrack hands it back through {@link Conntrack#onDeath} when the entry dies.
     */
    public Object offload;
    public int offloadId;
    /**
     * The output interface a masquerade bound the entry on (nf_conn_nat's masq_index), 0 when not
     * masqueraded: its packets must keep leaving by it, and its address must stay (see the nat package).
     */
    public int masqIndex;

    // ---- TCP (struct ip_ct_tcp)
    byte tcpState;
    /** td_end[2], td_maxend[2], td_maxwin[2], td_maxack[2]. */
    final int[] td = new int[8];
    /** td_scale[2], flags[2]. */
    final byte[] tdf = new byte[4];
    byte lastDir;
    byte lastIndex;
    byte retrans;
    byte lastWscale;
    byte lastFlags;
    int lastSeq;
    int lastAck;
    int lastEnd;
    int lastWin;

    // ---- UDP
    long streamTs;

    // ---- bookkeeping
    int slot = -1;
    CtEntry nextFree;

    CtEntry() {
    }

    public boolean isConfirmed() {
        return (status & CtConst.IPS_CONFIRMED) != 0;
    }

    public boolean isDying() {
        return (status & CtConst.IPS_DYING) != 0;
    }

    public boolean isAssured() {
        return (status & CtConst.IPS_ASSURED) != 0;
    }

    /** The tuple of a direction. */
    public CtTuple tuple(int dir) {
        return dir == CtConst.DIR_ORIGINAL ? orig : reply;
    }

    /** TCP state ({@link CtConst#TCP_NONE} ... {@link CtConst#TCP_SYN_SENT2}). */
    public int tcpState() {
        return tcpState;
    }

    public int l3() {
        return orig.l3;
    }

    public int protocol() {
        return orig.proto;
    }

    /** Milliseconds left (ct expiration), 0 when expired. */
    public long expirationMs(long now) {
        long left = timeout - now;
        return left <= 0 ? 0 : left / 1_000_000L;
    }

    /** Packets of a direction, or of both when {@code dir} is negative (nft's ct packets); 0 without acct. */
    public long packets(int dir) {
        if (dir < 0) {
            return origPackets + replyPackets;
        }
        return dir == CtConst.DIR_ORIGINAL ? origPackets : replyPackets;
    }

    /** Bytes of a direction, or of both when {@code dir} is negative (nft's ct bytes); 0 without acct. */
    public long bytes(int dir) {
        if (dir < 0) {
            return origBytes + replyBytes;
        }
        return dir == CtConst.DIR_ORIGINAL ? origBytes : replyBytes;
    }

    /** nft's ct avgpkt: bytes / packets of a direction (or both), 0 without packets. */
    public long avgpkt(int dir) {
        long p = packets(dir);
        return p == 0 ? 0 : bytes(dir) / p;
    }

    /** Status bits, as nft's ct status reads them. */
    public int status() {
        return status;
    }

    /** ct mark set. */
    public void setMark(int mark) {
        this.mark = mark;
    }

    void reset() {
        status = 0;
        mark = 0;
        zone = 0;
        timeout = 0;
        origPackets = 0;
        origBytes = 0;
        replyPackets = 0;
        replyBytes = 0;
        acct = false;
        refs = 0;
        masqIndex = 0;
        tcpState = 0;
        for (int i = 0; i < 8; i++) {
            td[i] = 0;
        }
        for (int i = 0; i < 4; i++) {
            tdf[i] = 0;
        }
        lastDir = 0;
        lastIndex = 0;
        retrans = 0;
        lastWscale = 0;
        lastFlags = 0;
        lastSeq = 0;
        lastAck = 0;
        lastEnd = 0;
        lastWin = 0;
        streamTs = 0;
        orig.next = null;
        reply.next = null;
    }

    @Override
    public String toString() {
        return "CtEntry{" + orig + " / " + reply + " status=0x" + Integer.toHexString(status) + " tcp="
                + CtConst.tcpStateName(tcpState) + "}";
    }
}
