package org.jnft.conntrack;

/**
 * What Linux keeps in {@code skb->_nfct}: the entry a packet belongs to and its ctinfo. One per packet in
 * flight, reused (call {@link #clear()} when a new packet starts). Before the conntrack hook, a rule may
 * set {@link #zone} (ct zone set, the template) or make the packet untracked ({@link #setUntracked()}).
 */
public final class PacketCt {
    /** The entry, or null (invalid or untracked). */
    public CtEntry ct;
    /** ctinfo ({@link CtConst#IP_CT_NEW} ...), {@link CtConst#IP_CT_UNTRACKED}, or {@link CtConst#IP_CT_NONE}. */
    public int ctinfo = CtConst.IP_CT_NONE;
    /** Zone template for the lookup (ct zone set in raw); 0 by default. */
    public int zone;

    public void clear() {
        ct = null;
        ctinfo = CtConst.IP_CT_NONE;
        zone = 0;
    }

    /** notrack. */
    public void setUntracked() {
        ct = null;
        ctinfo = CtConst.IP_CT_UNTRACKED;
    }

    /** nft's ct state bit (invalid 1, established 2, related 4, new 8, untracked 64). */
    public int state() {
        if (ct == null) {
            return ctinfo == CtConst.IP_CT_UNTRACKED ? CtConst.STATE_UNTRACKED : CtConst.STATE_INVALID;
        }
        return CtConst.stateBit(ctinfo);
    }

    /** Direction of the packet (valid when {@link #ct} is not null). */
    public int direction() {
        return CtConst.dir(ctinfo);
    }

    @Override
    public String toString() {
        return "PacketCt{ctinfo=" + ctinfo + ", ct=" + ct + "}";
    }
}
