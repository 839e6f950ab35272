package dev.rekey.worker.target.rabbitmq;

import dev.rekey.worker.secret.SecretValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RabbitMQ's internal password hashes ({@code rabbit_password_hashing_sha256} and {@code _sha512}): base64 of a
 * 4-byte random salt followed by the digest of salt and UTF-8 password, as the management API's
 * {@code password_hash} takes it.
 */
enum RabbitPasswordHash {
    SHA256("rabbit_password_hashing_sha256", "SHA-256"),
    SHA512("rabbit_password_hashing_sha512", "SHA-512");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String algorithm;
    private final String digest;

    RabbitPasswordHash(String algorithm, String digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** The user's own algorithm where it is one of these; SHA-256 (the server default) for md5 or none. */
    static RabbitPasswordHash forUser(String hashingAlgorithm) {
        return SHA512.algorithm.equals(hashingAlgorithm) ? SHA512 : SHA256;
    }

    String algorithm() {
        return algorithm;
    }

    String hash(SecretValue value) {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        try {
            MessageDigest md = MessageDigest.getInstance(digest);
            md.update(salt);
            byte[] hash = md.digest(value.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] stored = new byte[salt.length + hash.length];
            System.arraycopy(salt, 0, stored, 0, salt.length);
            System.arraycopy(hash, 0, stored, salt.length, hash.length);
            return Base64.getEncoder().encodeToString(stored);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is part of every JDK", e);
        }
    }
}
