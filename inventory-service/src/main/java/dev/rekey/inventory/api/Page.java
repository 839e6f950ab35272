package dev.rekey.inventory.api;

import java.util.List;

/**
 * One page of a list response; a page past the end has no items.
 *
 * @param page  zero-based page number
 * @param size  the page size that was applied
 * @param total how many items match in all pages
 */
public record Page<T>(List<T> items, int page, int size, long total) {
}
