package dev.rekey.devstack.downstream;

import java.security.SecureRandom;

/** Random values for the logins the devstack creates: letters and digits only, safe in every server's syntax. */
public final class Secrets {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 24 characters, about 140 bits. */
    public static String password() {
        StringBuilder password = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /** A short lowercase tag that keeps one run's user names apart from another's on a shared server. */
    public static String runTag() {
        StringBuilder tag = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            tag.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
        }
        return tag.toString();
    }
}
