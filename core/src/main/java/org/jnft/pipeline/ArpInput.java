package org.jnft.pipeline;

import java.lang.foreign.MemorySegment;
import org.jnft.packet.ArpView;
import org.jnft.packet.EtherType;
import org.jnft.packet.EthernetView;
import org.jnft.packet.PacketBuffer;
import org.jnft.packet.PacketInfo;
import org.jnft.packet.ParseStatus;
import org.jnft.route.NetDevice;

/**
 * arp_rcv / arp_process: answers requests for any of the router's addresses on any interface (arp_ignore=0)
 * and learns the requester, as Linux does when a request is addressed to it.
 */
final class ArpInput {
    private static final int ARP_LEN = 28;

    private final Router router;
    private final ArpView arp = new ArpView();
    private final ArpView reply = new ArpView();
    private final org.jnft.packet.PacketBuffer scratch = new org.jnft.packet.PacketBuffer(256);

    ArpInput(Router router) {
        this.router = router;
    }

    void receive(PacketBuffer pkt, PacketInfo pi, int status, NetDevice dev, int pktType) {
        if (status != ParseStatus.OK) {
            router.drop(dev, DropReason.PKT_TOO_SMALL);
            return;
        }
        MemorySegment seg = pkt.segment();
        arp.wrap(seg, pi.l3Offset);
        if (arp.htype() != 1 || arp.ptype() != EtherType.IPV4 || arp.hlen() != 6 || arp.plen() != 4
                || (arp.op() != ArpView.OP_REQUEST && arp.op() != ArpView.OP_REPLY)) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        int sip = arp.spa();
        int tip = arp.tpa();
        long sha = arp.sha();
        if (Ipv4Input.isMulticast(tip) || (tip >>> 24) == 127) {
            router.drop(dev, DropReason.INVALID_PROTO);
            return;
        }
        boolean request = arp.op() == ArpView.OP_REQUEST;
        boolean tipLocal = request && router.devices.isLocalIpv4(tip);
        // every valid request and reply reaches the neighbour table (replies, gratuitous ARP, locktime)
        boolean ok = router.neigh.arpReceived(dev, request, sip, sha, tip, arp.tha(), tipLocal,
                pktType == Router.PACKET_HOST, router.now());
        if (tipLocal && ok) {
            send(dev, tip, sha, sip);
        }
    }

    /** arp_send_dst(ARPOP_REPLY, ...): to the requester's hardware address, from the receiving device. */
    private void send(NetDevice dev, int sip, long tha, int tip) {
        MemorySegment s = scratch.segment();
        long o = Output.HEADROOM;
        reply.wrap(s, o);
        reply.htype(1);
        reply.ptype(EtherType.IPV4);
        reply.hlen(6);
        reply.plen(4);
        reply.op(ArpView.OP_REPLY);
        reply.sha(dev.mac());
        reply.spa(sip);
        reply.tha(tha);
        reply.tpa(tip);
        router.output.ether(s, o, ARP_LEN, dev, tha, EtherType.ARP);
    }
}
