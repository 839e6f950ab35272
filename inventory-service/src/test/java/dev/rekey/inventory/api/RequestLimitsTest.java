package dev.rekey.inventory.api;

import dev.rekey.devstack.testing.DevJwtResource;
import dev.rekey.devstack.testing.KafkaResource;
import dev.rekey.devstack.testing.PostgresResource;
import dev.rekey.inventory.support.Database;
import dev.rekey.inventory.support.InventoryVault;
import dev.rekey.inventory.support.Tokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * URLs over the API's limit (4,096 characters) are answered as problem+json up to the HTTP codec's line limit
 * ({@code quarkus.http.limits.max-initial-line-length}, 64 KiB), which sits far above it; only a request line longer
 * than that is refused by Vert.x's codec itself with a bare 414, before any handler of the service runs (Quarkus
 * exposes no hook for it: quarkusio/quarkus#55082). Sent over a raw socket, so that the bytes are exactly these.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = Database.NAME))
@WithTestResource(DevJwtResource.class)
@WithTestResource(InventoryVault.class)
class RequestLimitsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void urlsFromTheApisLimitToTheCodecsAreA414ProblemNamingTheLimit() throws Exception {
        for (int length : new int[] {4_097, 8_192, 20_000, 60_000}) {
            String response = get("/api/v1/credentials?x=" + "a".repeat(length));
            assertThat(response).as("URL of %d characters", length).startsWith("HTTP/1.1 414")
                    .contains("application/problem+json").contains("longer than 4096 characters");
        }
    }

    @Test
    void aUrlUnderTheLimitIsServed() throws Exception {
        assertThat(get("/api/v1/credentials?size=1&x=" + "a".repeat(3_000))).startsWith("HTTP/1.1 200");
    }

    private String get(String target) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + Tokens.admin()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
