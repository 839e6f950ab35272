package dev.rekey.devstack;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServersTest {

    @Test
    void aServerCreatedHereHasTcpNoDelayAsRealVaultHas() throws Exception {
        // the JDK reads the property once, when the JVM's first server is created: it must be set by then, by
        // whichever of the devstack's servers comes first
        HttpServer server = HttpServers.create(InetAddress.getLoopbackAddress(), 0, 1);
        try {
            assertThat(System.getProperty(HttpServers.NODELAY_PROPERTY)).isEqualTo("true");
            assertThat(server.getAddress().getAddress().isLoopbackAddress()).isTrue();
        } finally {
            server.stop(0);
        }
    }
}
