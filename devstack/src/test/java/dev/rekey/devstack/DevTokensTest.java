package dev.rekey.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.auth.DevTokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevTokensTest {

    @Test
    void tokenIsSignedWithTheDevKeyAndCarriesRolesAndExpiry() throws Exception {
        String token = DevTokens.issue("team-payments", List.of("owner"), 600);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);

        String pem = DevTokens.publicKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem))));
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("iss").asText()).isEqualTo(DevTokens.ISSUER);
        assertThat(claims.get("sub").asText()).isEqualTo("team-payments");
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("owner");
        assertThat(claims.get("exp").asLong()).isBetween(Instant.now().getEpochSecond() + 590, Instant.now().getEpochSecond() + 610);
    }

    @Test
    void negativeTtlGivesAnExpiredToken() throws Exception {
        String token = DevTokens.issue("x", List.of("admin"), -60);
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.get("exp").asLong()).isLessThan(Instant.now().getEpochSecond());
        assertThat(claims.get("iat").asLong()).isLessThan(claims.get("exp").asLong());
    }
}
