package org.jnft.flowtable;

/**
 * What the routing of a flow's two directions gave ({@code struct nf_flow_route}), indexed by flow direction
 * (0 = ORIGINAL, 1 = REPLY): input and output devices, the output's MTU, the next hop and its MAC when the
 * neighbour is already known (-1 otherwise: the fast path then leaves that direction to the classic path
 * until the neighbour answers). One reusable instance per router: filling it allocates nothing.
 */
public final class FlowRoute {
    public final int[] iif = new int[2];
    public final int[] oif = new int[2];
    public final int[] mtu = new int[2];
    public final long[] mac = {-1, -1};
    public final int[] nexthop4 = new int[2];
    public final long[] nexthopHi = new long[2];
    public final long[] nexthopLo = new long[2];
    /** The FIB generation the routes were taken from: a later route change tears the flow down. */
    public int fibGeneration;

    public void clear() {
        for (int d = 0; d < 2; d++) {
            iif[d] = 0;
            oif[d] = 0;
            mtu[d] = 0;
            mac[d] = -1;
            nexthop4[d] = 0;
            nexthopHi[d] = 0;
            nexthopLo[d] = 0;
        }
        fibGeneration = 0;
    }
}
