package dev.berth.daemon.dns;

import static dev.berth.daemon.dns.Tables.parse;
import static dev.berth.daemon.dns.Tables.query;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** How {@link DnsServer} tells its observer whether a reply means the query failed. */
class DnsResultTest {
    @Test
    void aReplysRcodeDecidesWhetherTheQueryFailed() {
        assertEquals(DnsObserver.Result.FORWARDED, DnsServer.result(
                Responses.replyTo(parse(query("a.", Type.A)), Rcode.NXDOMAIN).toWire(), DnsObserver.Result.FORWARDED));
        assertEquals(DnsObserver.Result.LOCAL, DnsServer.result(
                Responses.replyTo(parse(query("a.", Type.A)), Rcode.NOERROR).toWire(), DnsObserver.Result.LOCAL));
        for (int rcode : new int[] {Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NOTIMP, Rcode.REFUSED}) {
            assertEquals(DnsObserver.Result.FAILED, DnsServer.result(
                    Responses.replyTo(parse(query("a.", Type.A)), rcode).toWire(), DnsObserver.Result.FORWARDED));
        }
        assertEquals(DnsObserver.Result.FAILED, DnsServer.result(new byte[2], DnsObserver.Result.LOCAL), "truncated");
    }

}
