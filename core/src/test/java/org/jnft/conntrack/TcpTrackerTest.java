package org.jnft.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnft.conntrack.CtConst.*;
import static org.jnft.conntrack.CtHarness.*;

import org.junit.jupiter.api.Test;

class TcpTrackerTest {

    @Test
    void handshakeDataAndCloseBothWays() {
        CtHarness h = new CtHarness();
        assertThat(h.send(h.tcpOrig(SYN, 1000, 0, 0))).isEqualTo(STATE_NEW);
        CtEntry e = h.lookupTcp();
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_SENT);
        assertThat(h.secondsLeft(e)).isEqualTo(120);
        assertThat(ConntrackListing.line(e, h.now)).isEqualTo(
                "tcp      6 120 SYN_SENT src=10.0.1.2 dst=198.51.100.20 sport=41000 dport=443 [UNREPLIED] "
                        + "src=198.51.100.20 dst=10.0.1.2 sport=443 dport=41000 mark=0 use=1");

        assertThat(h.send(h.tcpReply(SYN | ACK, 5000, 1001, 0))).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_ESTABLISHED_REPLY);
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_RECV);
        assertThat(h.secondsLeft(e)).isEqualTo(60);

        assertThat(h.send(h.tcpOrig(ACK, 1001, 5001, 0))).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.ctinfo).isEqualTo(IP_CT_ESTABLISHED);
        assertThat(e.tcpState()).isEqualTo(TCP_ESTABLISHED);
        assertThat(e.isAssured()).isTrue();
        assertThat(h.secondsLeft(e)).isEqualTo(432000);

        // data from the client, acked by the server
        h.send(h.tcpOrig(ACK | PSH, 1001, 5001, 100));
        assertThat(h.state).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.secondsLeft(e)).isEqualTo(300); // unacknowledged
        h.send(h.tcpReply(ACK, 5001, 1101, 0));
        assertThat(h.secondsLeft(e)).isEqualTo(432000);

        // FIN from the client, ACK, FIN from the server, last ACK
        h.send(h.tcpOrig(FIN | ACK, 1101, 5001, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_FIN_WAIT);
        h.send(h.tcpReply(ACK, 5001, 1102, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_CLOSE_WAIT);
        assertThat(h.secondsLeft(e)).isEqualTo(60);
        h.send(h.tcpReply(FIN | ACK, 5001, 1102, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_LAST_ACK);
        assertThat(h.secondsLeft(e)).isEqualTo(30);
        h.send(h.tcpOrig(ACK, 1102, 5002, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_TIME_WAIT);
        assertThat(h.secondsLeft(e)).isEqualTo(120);
        assertThat(h.ct.stats.invalid).isZero();
    }

    @Test
    void rstClosesWithTenSeconds() {
        CtHarness h = new CtHarness();
        h.handshake();
        CtEntry e = h.lookupTcp();
        h.send(h.tcpReply(RST, 5001, 0, 0));
        assertThat(h.state).isEqualTo(STATE_ESTABLISHED);
        assertThat(e.tcpState()).isEqualTo(TCP_CLOSE);
        assertThat(h.secondsLeft(e)).isEqualTo(10);
    }

    @Test
    void rstOutsideTheWindowIsInvalid() {
        CtHarness h = new CtHarness();
        h.handshake();
        h.send(h.tcpOrig(ACK | PSH, 1001, 5001, 10));
        h.send(h.tcpReply(ACK, 5001, 1011, 0));
        CtEntry e = h.lookupTcp();
        // an RST below the acknowledged sequence is an invalid RST
        assertThat(h.send(h.tcpOrig(RST, 900, 0, 0))).isEqualTo(STATE_INVALID);
        assertThat(e.tcpState()).isEqualTo(TCP_ESTABLISHED);
    }

    @Test
    void rstAnsweringASynKillsTheUnrepliedEntry() {
        CtHarness h = new CtHarness();
        h.send(h.tcpOrig(SYN, 1000, 0, 0));
        h.send(h.tcpReply(RST | ACK, 0, 1001, 0));
        assertThat(h.state).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.lookupTcp()).isNull();
        assertThat(h.ct.size()).isZero();
        assertThat(h.ct.count()).isZero();
    }

    @Test
    void outOfWindowSegmentIsInvalid() {
        CtHarness h = new CtHarness();
        h.handshake();
        CtEntry e = h.lookupTcp();
        // far beyond the receiver's window
        assertThat(h.send(h.tcpOrig(ACK | PSH, 1001 + 10_000_000, 5001, 10))).isEqualTo(STATE_INVALID);
        // acking data the server never sent
        assertThat(h.send(h.tcpOrig(ACK, 1001, 5001 + 1_000_000, 0))).isEqualTo(STATE_INVALID);
        assertThat(h.ct.stats.invalid).isEqualTo(2);
        assertThat(e.tcpState()).isEqualTo(TCP_ESTABLISHED);
        // liberal: accepted
        h.params.tcpBeLiberal = true;
        assertThat(h.send(h.tcpOrig(ACK | PSH, 1001 + 10_000_000, 5001, 10))).isEqualTo(STATE_ESTABLISHED);
    }

    @Test
    void badFlagCombinationsAreInvalid() {
        CtHarness h = new CtHarness();
        assertThat(h.send(h.tcpOrig(SYN | FIN, 1, 0, 0))).isEqualTo(STATE_INVALID);
        assertThat(h.send(h.tcpOrig(0, 1, 0, 0))).isEqualTo(STATE_INVALID); // null scan
        assertThat(h.send(h.tcpOrig(FIN | PSH | 0x20, 1, 0, 0))).isEqualTo(STATE_INVALID); // xmas without ack
        assertThat(h.send(h.tcpOrig(SYN | RST, 1, 0, 0))).isEqualTo(STATE_INVALID);
        assertThat(h.ct.count()).isZero();
        // SYN/ACK cannot start a connection
        assertThat(h.send(h.tcpOrig(SYN | ACK, 1, 1, 0))).isEqualTo(STATE_INVALID);
    }

    @Test
    void midStreamPickupWithLoose() {
        CtHarness h = new CtHarness();
        assertThat(h.send(h.tcpOrig(ACK | PSH, 7000, 9000, 50))).isEqualTo(STATE_NEW);
        CtEntry e = h.lookupTcp();
        assertThat(e.tcpState()).isEqualTo(TCP_ESTABLISHED);
        assertThat(h.secondsLeft(e)).isEqualTo(300); // no reply yet: the unacknowledged timeout
        assertThat(e.isAssured()).isFalse();
        assertThat(h.send(h.tcpReply(ACK, 9000, 7050, 0))).isEqualTo(STATE_ESTABLISHED);
        assertThat(h.send(h.tcpOrig(ACK | PSH, 7050, 9000, 10))).isEqualTo(STATE_ESTABLISHED);
        assertThat(e.isAssured()).isTrue();
    }

    @Test
    void midStreamRefusedWithoutLoose() {
        CtHarness h = new CtHarness(new ConntrackParams().set("net.netfilter.nf_conntrack_buckets", 64)
                .set("net.netfilter.nf_conntrack_tcp_loose", 0));
        assertThat(h.send(h.tcpOrig(ACK | PSH, 7000, 9000, 50))).isEqualTo(STATE_INVALID);
        assertThat(h.ct.count()).isZero();
        assertThat(h.send(h.tcpOrig(SYN, 7000, 0, 0))).isEqualTo(STATE_NEW);
    }

    @Test
    void timeWaitIsReopenedByANewSyn() {
        CtHarness h = new CtHarness();
        h.handshake();
        h.send(h.tcpOrig(FIN | ACK, 1001, 5001, 0));
        h.send(h.tcpReply(FIN | ACK, 5001, 1002, 0));
        h.send(h.tcpOrig(ACK, 1002, 5002, 0));
        CtEntry old = h.lookupTcp();
        assertThat(old.tcpState()).isEqualTo(TCP_TIME_WAIT);
        h.advance(5 * S);
        assertThat(h.send(h.tcpOrig(SYN, 90000, 0, 0))).isEqualTo(STATE_NEW);
        CtEntry e = h.lookupTcp();
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_SENT);
        assertThat(e.isAssured()).isFalse();
        assertThat(h.secondsLeft(e)).isEqualTo(120);
        assertThat(h.ct.size()).isEqualTo(1);
        assertThat(h.send(h.tcpReply(SYN | ACK, 3000, 90001, 0))).isEqualTo(STATE_ESTABLISHED);
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_RECV);
    }

    @Test
    void unacknowledgedDataGets300Seconds() {
        CtHarness h = new CtHarness();
        h.handshake();
        CtEntry e = h.lookupTcp();
        assertThat(h.secondsLeft(e)).isEqualTo(432000);
        h.send(h.tcpReply(ACK | PSH, 5001, 1001, 1000));
        assertThat(h.secondsLeft(e)).isEqualTo(300);
        h.advance(100 * S);
        h.send(h.tcpReply(ACK | PSH, 6001, 1001, 1000)); // still nothing acked
        assertThat(h.secondsLeft(e)).isEqualTo(300);
        h.send(h.tcpOrig(ACK, 1001, 7001, 0));
        assertThat(h.secondsLeft(e)).isEqualTo(432000);
        // expire: nothing acked for 300 s -> gone
        h.send(h.tcpReply(ACK | PSH, 7001, 1001, 10));
        h.advance(300 * S);
        assertThat(h.ct.nextDeadline()).isLessThanOrEqualTo(h.now);
        assertThat(h.ct.expire(h.now)).isEqualTo(1);
        assertThat(h.lookupTcp()).isNull();
        assertThat(h.ct.count()).isZero();
    }

    @Test
    void retransmittedSynDoesNotRenewTheTimeout() {
        CtHarness h = new CtHarness();
        h.send(h.tcpOrig(SYN, 1000, 0, 0));
        CtEntry e = h.lookupTcp();
        h.advance(50 * S);
        h.send(h.tcpOrig(SYN, 1000, 0, 0));
        assertThat(h.state).isEqualTo(STATE_NEW);
        assertThat(h.secondsLeft(e)).isEqualTo(70);
    }

    @Test
    void simultaneousOpen() {
        CtHarness h = new CtHarness();
        h.send(h.tcpOrig(SYN, 1000, 0, 0));
        h.send(h.tcpReply(SYN, 5000, 0, 0));
        CtEntry e = h.lookupTcp();
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_SENT2);
        h.send(h.tcpOrig(SYN | ACK, 1000, 5001, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_SYN_RECV);
        h.send(h.tcpReply(ACK, 5001, 1001, 0));
        assertThat(e.tcpState()).isEqualTo(TCP_ESTABLISHED);
    }

    @Test
    void flowtableHooks() {
        CtHarness h = new CtHarness();
        h.handshake();
        CtEntry e = h.lookupTcp();
        h.ct.tcpBeLiberal(e);
        // window-liberal: a segment far outside the window is accepted
        assertThat(h.send(h.tcpOrig(ACK | PSH, 1001 + 10_000_000, 5001, 10))).isEqualTo(STATE_ESTABLISHED);
        h.ct.tcpResetMaxWin(e);
        assertThat(h.send(h.tcpReply(ACK, 5001, 1001, 0))).isEqualTo(STATE_ESTABLISHED);
        h.ct.tcpSetClosing(e, h.now);
        assertThat(e.tcpState()).isEqualTo(TCP_CLOSE);
        assertThat(h.secondsLeft(e)).isEqualTo(10);
    }
}
