package dev.rekey.examples.orders;

/**
 * How many orders a table holds, and which database user read them (with the alternating strategy it changes with
 * the rotations).
 */
public record OrderCount(long orders, String readAs) {
}
