package dev.rekey.inventory.api;

import jakarta.ws.rs.QueryParam;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code page} and {@code size} query parameters of list endpoints ({@code @BeanParam}). They are read as text
 * and checked here, so that {@code size=99999999999} is a 400 naming {@code size}, not a failed conversion.
 */
public class PageRequest {

    /** The largest page a client may ask for. */
    public static final int MAX_SIZE = 1000;
    /** The default page size. */
    public static final int DEFAULT_SIZE = 50;
    /** The highest page number: page × size stays far inside what the database's OFFSET takes. */
    public static final int MAX_PAGE = 1_000_000;

    @QueryParam("page")
    String page;

    @QueryParam("size")
    String size;

    /** The checked page number and size. */
    public record Paging(int page, int size) {

        public int offset() {
            return page * size;
        }

        /** Panache's page of the same number and size (a different type of the same name). */
        public io.quarkus.panache.common.Page toPanache() {
            return io.quarkus.panache.common.Page.of(page, size);
        }

        public <T> Page<T> of(List<T> items, long total) {
            return new Page<>(items, page, size, total);
        }
    }

    /**
     * The page asked for.
     *
     * @throws ApiProblem 400 naming {@code page} or {@code size} when either is not a number in range
     */
    public Paging paging() {
        List<Problem.FieldError> errors = new ArrayList<>();
        int p = number("page", page, 0, 0, MAX_PAGE, errors);
        int s = number("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "validation", "Invalid request", "the request is invalid", errors);
        }
        return new Paging(p, s);
    }

    private static int number(String name, String text, int absent, int min, int max, List<Problem.FieldError> errors) {
        if (text == null) {
            return absent;
        }
        // at most 7 digits: anything longer is out of range, and never reaches Integer.parseInt's overflow
        if (!text.matches("[0-9]{1,7}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            errors.add(new Problem.FieldError(name, "must be a whole number from " + min + " to " + max));
            return absent;
        }
        return Integer.parseInt(text);
    }
}
