package dev.rekey.inventory.credential.bulk;

import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Problem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The errors of a bulk import, row by row. The answer's status is the most basic kind of error found: an invalid row
 * (400) before a reference to nothing (422) before a taken id, secret or account (409).
 */
final class BulkErrors {

    /** What kind of problem a row has. */
    enum Kind {
        INVALID, UNRESOLVED, CONFLICT
    }

    private final int maxReported;
    private final List<Problem.FieldError> reported = new ArrayList<>();
    private final Set<Integer> rows = new HashSet<>();
    private final Set<Kind> kinds = EnumSet.noneOf(Kind.class);
    private long count;

    BulkErrors(int maxReported) {
        this.maxReported = maxReported;
    }

    void add(Kind kind, List<Problem.FieldError> errors) {
        for (Problem.FieldError error : errors) {
            add(kind, error);
        }
    }

    void add(Kind kind, Problem.FieldError error) {
        kinds.add(kind);
        rows.add(error.row());
        count++;
        if (reported.size() < maxReported) {
            reported.add(error);
        }
    }

    boolean isEmpty() {
        return count == 0;
    }

    ApiProblem toProblem(int totalRows) {
        List<Problem.FieldError> sorted = reported.stream()
                .sorted(Comparator.comparing(Problem.FieldError::row).thenComparing(Problem.FieldError::field))
                .toList();
        String detail = rows.size() + " of " + totalRows + " rows have errors, nothing was imported"
                + (count > reported.size() ? "; the first " + reported.size() + " of " + count + " errors are listed" : "");
        if (kinds.contains(Kind.INVALID)) {
            return new ApiProblem(400, "validation", "Invalid request", detail, sorted);
        }
        if (kinds.contains(Kind.UNRESOLVED)) {
            return new ApiProblem(422, "unresolved-reference", "Unresolved reference", detail, sorted);
        }
        return ApiProblem.conflict(detail, sorted);
    }
}
