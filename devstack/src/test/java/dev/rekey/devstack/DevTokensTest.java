package dev.rekey.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rekey.devstack.auth.DevKeyPair;
import dev.rekey.devstack.auth.DevTokens;
import dev.rekey.devstack.auth.JwksServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void tokenVerifiesWithThePublishedJwksAndCarriesIssuerAudienceRolesAndExpiry() throws Exception {
        DevKeyPair keys = DevKeyPair.generate();
        String token = new DevTokens(keys).issue("team-payments", List.of("owner"), 600);
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);

        JsonNode jwk;
        try (JwksServer server = JwksServer.start(keys, 0)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            jwk = JSON.readTree(response.body()).get("keys").get(0);
        }
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(parts[0])).get("kid").asText())
                .isEqualTo(jwk.get("kid").asText());
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(publicKey(jwk));
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("iss").asText()).isEqualTo(DevTokens.ISSUER);
        assertThat(claims.get("aud").asText()).isEqualTo(DevTokens.AUDIENCE);
        assertThat(claims.get("sub").asText()).isEqualTo("team-payments");
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("owner");
        assertThat(claims.get("exp").asLong()).isBetween(Instant.now().getEpochSecond() + 590, Instant.now().getEpochSecond() + 610);
    }

    @Test
    void negativeTtlGivesAnExpiredToken() throws Exception {
        String token = new DevTokens(DevKeyPair.generate()).issue("x", List.of("admin"), -60);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.get("exp").asLong()).isLessThan(Instant.now().getEpochSecond());
        assertThat(claims.get("iat").asLong()).isLessThan(claims.get("exp").asLong());
    }

    @Test
    void keyPairWrittenToADirectoryIsReadBackAndOnlyItsOwnerCanReadThePrivateKey(@TempDir Path dir) throws Exception {
        DevKeyPair keys = DevKeyPair.generate();
        keys.writeTo(dir);
        DevKeyPair read = DevKeyPair.readFrom(dir);
        assertThat(read.kid()).isEqualTo(keys.kid());
        assertThat(read.keys().getPublic()).isEqualTo(keys.keys().getPublic());
        assertThat(Files.getPosixFilePermissions(dir.resolve(DevKeyPair.PRIVATE_KEY_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(dir.resolve(DevKeyPair.JWKS_FILE))).isEqualTo(keys.jwks());
        assertThat(DevKeyPair.generate().kid()).isNotEqualTo(keys.kid());
    }

    private static PublicKey publicKey(JsonNode jwk) throws Exception {
        BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("n").asText()));
        BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e").asText()));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }
}
