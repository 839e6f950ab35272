package dev.rekey.inventory.credential.bulk;

import dev.rekey.inventory.api.ApiProblem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A bulk import's body that stops at the import's byte limit with a 413 of the API, before Quarkus's own, higher
 * limit would end the response itself (without a problem detail) under a body that streams in without a length.
 */
final class BoundedBody extends FilterInputStream {

    private final long limit;
    private long read;

    BoundedBody(InputStream body, long limit) {
        super(body);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) {
            throw new ApiProblem(413, "content-too-large", "Content Too Large",
                    "the request body is larger than " + limit + " bytes, the limit of a bulk import", List.of());
        }
    }
}
