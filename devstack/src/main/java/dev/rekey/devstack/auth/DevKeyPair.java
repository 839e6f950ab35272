package dev.rekey.devstack.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * An RSA key pair that signs dev tokens, generated per stack or per test JVM and never committed. The private key is
 * stored as one line of base64 PKCS#8 (owner-readable only); the public key is published as a JWKS document, the
 * way an OIDC provider publishes its keys.
 *
 * @param kid the key id, in the JWKS document and in each token's header
 */
public record DevKeyPair(KeyPair keys, String kid) {

    /** File of the private key inside a key directory. */
    public static final String PRIVATE_KEY_FILE = "signing-key.p8";
    /** File of the public JWKS document inside a key directory. */
    public static final String JWKS_FILE = "jwks.json";

    /** A fresh 2048-bit RSA key pair. */
    public static DevKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            return new DevKeyPair(keys, kidOf((RSAPublicKey) keys.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
    }

    /** The key pair in its encoded form (base64 PKCS#8), as {@link #encoded()} wrote it. */
    public static DevKeyPair decode(String encodedPrivateKey) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encodedPrivateKey.trim())));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new DevKeyPair(new KeyPair(publicKey, privateKey), kidOf(publicKey));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("not an RSA signing key written by DevKeyPair", e);
        }
    }

    /** Reads the key pair that {@link #writeTo(Path)} stored in {@code directory}. */
    public static DevKeyPair readFrom(Path directory) throws IOException {
        return decode(Files.readString(directory.resolve(PRIVATE_KEY_FILE), StandardCharsets.US_ASCII));
    }

    /** Writes the private key (readable by its owner only) and the public JWKS document into {@code directory}. */
    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path key = directory.resolve(PRIVATE_KEY_FILE);
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(key, encoded(), StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve(JWKS_FILE), jwks(), StandardCharsets.US_ASCII);
    }

    /** The private key as one line of base64 PKCS#8. */
    public String encoded() {
        return Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded());
    }

    /** The public key as a JWKS document (RFC 7517) with one RS256 signing key. */
    public String jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}]}";
    }

    /** The RFC 7638 thumbprint would do too; a prefix of the modulus' hash is enough to tell stacks apart. */
    private static String kidOf(RSAPublicKey key) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(key.getModulus().toByteArray());
            return "rekey-dev-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "DevKeyPair[kid=" + kid + "]";
    }
}
