package org.jnft.packet;

/** EtherType values (IEEE 802 numbers) used by jnft. */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int VLAN = 0x8100;
    public static final int IPV6 = 0x86DD;
    /** IEEE 802.1ad service VLAN tag (QinQ outer tag). */
    public static final int QINQ = 0x88A8;

    private EtherType() {
    }

    /** True for the two tag protocol identifiers the parser looks through. */
    public static boolean isVlan(int etherType) {
        return etherType == VLAN || etherType == QINQ;
    }
}
