package dev.rekey.notifier.channel;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationPolicyTest {

    private final DestinationPolicy policy = new DestinationPolicy(Set.of("hooks.internal.test", "127.0.0.1"));

    @Test
    void onlyHttpsExceptForAllowlistedHosts() {
        assertThat(policy.refusalOf(URI.create("https://hooks.example.com/x"))).isNull();
        assertThat(policy.refusalOf(URI.create("http://hooks.example.com/x"))).contains("plain http is refused");
        assertThat(policy.refusalOf(URI.create("http://hooks.internal.test:8080/x"))).isNull();
        assertThat(policy.refusalOf(URI.create("ftp://hooks.example.com/x"))).contains("scheme ftp");
        assertThat(policy.refusalOf(URI.create("https://user:pw@hooks.example.com/x"))).contains("user info");
        assertThat(policy.refusalOf(URI.create("/relative"))).contains("absolute");
    }

    @Test
    void loopbackPrivateLinkLocalAndReservedAddressesAreRefusedAfterResolutionUnlessTheHostIsAllowlisted() throws Exception {
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1")) {
            assertThat(policy.refusalOf("evil.example.com", List.of(InetAddress.getByName(address))))
                    .as(address).contains("refused for a host that is not allowlisted");
        }
        assertThat(policy.refusalOf("evil.example.com", List.of(InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("10.0.0.1")))).as("any non-public answer refuses the host").isNotNull();
        assertThat(policy.refusalOf("hooks.example.com", List.of(InetAddress.getByName("93.184.216.34")))).isNull();
        assertThat(policy.refusalOf("hooks.example.com", List.of(InetAddress.getByName("2606:2800:220:1::1")))).isNull();
        assertThat(policy.refusalOf("127.0.0.1", List.of(InetAddress.getByName("127.0.0.1")))).isNull();
        assertThat(policy.refusalOf("hooks.internal.test", List.of(InetAddress.getByName("10.0.0.7")))).isNull();
    }
}
