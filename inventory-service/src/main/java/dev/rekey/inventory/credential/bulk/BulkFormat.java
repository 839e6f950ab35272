package dev.rekey.inventory.credential.bulk;

import dev.rekey.inventory.api.ApiProblem;

import java.util.List;
import java.util.Locale;

/** The two formats of a bulk import, by Content-Type. */
public enum BulkFormat {
    /** A JSON array of credential objects, each as the body of {@code POST /credentials}. */
    JSON,
    /**
     * CSV (RFC 4180, UTF-8) with a header row naming the columns: the credential fields, {@code maxAgeDays},
     * {@code generator} and {@code strategy} for the rotation policy; lists ({@code tags}, {@code exposedVia},
     * {@code grantsAccessTo}) separated by {@code ;}; an empty cell is an absent value.
     */
    CSV;

    /** The media type of CSV imports. */
    public static final String CSV_MEDIA_TYPE = "text/csv";

    public static BulkFormat of(String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "application/json" -> JSON;
            case CSV_MEDIA_TYPE -> CSV;
            default -> throw new ApiProblem(415, "unsupported-media-type", "Unsupported Media Type",
                    "a bulk import is application/json or text/csv", List.of());
        };
    }
}
