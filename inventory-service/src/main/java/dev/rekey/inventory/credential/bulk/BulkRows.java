package dev.rekey.inventory.credential.bulk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.rekey.inventory.api.ApiProblem;
import dev.rekey.inventory.api.Problem;
import dev.rekey.inventory.api.RequestErrors;
import dev.rekey.inventory.credential.rest.CredentialRequest;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the rows of a bulk import one at a time from the request body, so that the import never holds the whole
 * document. A row that cannot be read as a credential becomes a row with errors; a body that is not a well-formed
 * document at all is a 400 for the whole import.
 */
abstract class BulkRows implements java.io.Closeable {

    /** One row: its 1-based number and either the credential it holds or why it holds none. */
    record Row(int number, CredentialRequest request, List<Problem.FieldError> errors) {
    }

    /** The columns of the CSV format; the required ones must be in the header. */
    static final List<String> CSV_COLUMNS = List.of("id", "name", "kind", "vaultMount", "vaultPath", "username",
            "alternateUsername", "systemId", "ownerId", "tags", "exposedVia", "grantsAccessTo", "maxAgeDays",
            "generator", "strategy");
    static final Set<String> CSV_REQUIRED = Set.of("id", "name", "kind", "vaultMount", "vaultPath", "username",
            "systemId");

    private int number;

    static BulkRows open(BulkFormat format, InputStream body, ObjectMapper json) {
        try {
            return format == BulkFormat.JSON ? new JsonRows(body, json) : new CsvRows(body);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** The next row, or null after the last. */
    final Row next() {
        try {
            return read(number + 1);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    final int rowsRead() {
        return number;
    }

    protected final Row row(CredentialRequest request, List<Problem.FieldError> errors) {
        number++;
        return new Row(number, request, errors);
    }

    protected abstract Row read(int rowNumber) throws IOException;

    static ApiProblem malformed(IOException e) {
        if (e instanceof CharConversionException || (e.getMessage() != null && e.getMessage().contains("UTF-8"))) {
            return new ApiProblem(400, "malformed-body", "Malformed request body", "the request body is not valid UTF-8",
                    List.of());
        }
        if (e instanceof JsonProcessingException json) {
            return new ApiProblem(400, "malformed-body", "Malformed request body", RequestErrors.describe(json),
                    List.of());
        }
        throw new UncheckedIOException(e);
    }

    /** A JSON array of credential objects. */
    private static final class JsonRows extends BulkRows {

        private final ObjectMapper mapper;
        // one element at a time: what follows an element (a comma, the next one) is not trailing data here
        private final ObjectReader elements;
        private final JsonParser parser;

        JsonRows(InputStream body, ObjectMapper mapper) throws IOException {
            this.mapper = mapper;
            this.elements = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            this.parser = mapper.getFactory().createParser(body);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ApiProblem(400, "malformed-body", "Malformed request body",
                        "a JSON bulk import is an array of credential objects", List.of());
            }
        }

        @Override
        protected Row read(int rowNumber) throws IOException {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (parser.nextToken() != null) {
                    throw new ApiProblem(400, "malformed-body", "Malformed request body",
                            "the request body has data after the array", List.of());
                }
                return null;
            }
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return row(null, List.of(new Problem.FieldError(rowNumber, "", "must be a credential object")));
            }
            JsonNode tree = elements.readTree(parser);
            try {
                return row(mapper.treeToValue(tree, CredentialRequest.class), List.of());
            } catch (JsonProcessingException e) {
                List<Problem.FieldError> errors = RequestErrors.fieldErrors(e, rowNumber);
                return row(null, errors.isEmpty()
                        ? List.of(new Problem.FieldError(rowNumber, "", RequestErrors.describe(e))) : errors);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** CSV with a header row. */
    private static final class CsvRows extends BulkRows {

        private final MappingIterator<Map<String, String>> rows;

        CsvRows(InputStream body) throws IOException {
            CsvMapper csv = new CsvMapper().enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS)
                    .enable(CsvParser.Feature.SKIP_EMPTY_LINES);
            rows = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(body);
            // the parser reads the header with the first row
            rows.hasNextValue();
            checkHeader(((CsvParser) rows.getParser()).getSchema());
        }

        private static void checkHeader(CsvSchema schema) {
            List<String> columns = new ArrayList<>();
            schema.forEach(column -> columns.add(column.getName()));
            List<Problem.FieldError> errors = new ArrayList<>();
            for (String column : columns) {
                if (!CSV_COLUMNS.contains(column)) {
                    errors.add(new Problem.FieldError(column, "unknown column; known: " + String.join(", ", CSV_COLUMNS)));
                }
            }
            for (String required : CSV_REQUIRED) {
                if (!columns.contains(required)) {
                    errors.add(new Problem.FieldError(required, "required column is missing from the header"));
                }
            }
            if (columns.size() != Set.copyOf(columns).size()) {
                errors.add(new Problem.FieldError("", "a column is named twice in the header"));
            }
            if (!errors.isEmpty()) {
                throw new ApiProblem(400, "validation", "Invalid request", "the CSV header is invalid", errors);
            }
        }

        @Override
        protected Row read(int rowNumber) throws IOException {
            if (!rows.hasNextValue()) {
                return null;
            }
            Map<String, String> cells = rows.nextValue();
            List<Problem.FieldError> errors = new ArrayList<>();
            Integer maxAge = number(rowNumber, "maxAgeDays", cell(cells, "maxAgeDays"), errors);
            String generator = cell(cells, "generator");
            String strategy = cell(cells, "strategy");
            var policy = maxAge == null && generator == null && strategy == null ? null
                    : new CredentialRequest.RotationPolicyRequest(maxAge, generator, strategy);
            CredentialRequest request = new CredentialRequest(cell(cells, "id"), cell(cells, "name"),
                    cell(cells, "kind"), cell(cells, "vaultMount"), cell(cells, "vaultPath"), cell(cells, "username"),
                    cell(cells, "alternateUsername"), cell(cells, "systemId"), cell(cells, "ownerId"),
                    list(cells, "tags"), list(cells, "exposedVia"), list(cells, "grantsAccessTo"), policy);
            return row(errors.isEmpty() ? request : null, errors);
        }

        private static String cell(Map<String, String> cells, String column) {
            String value = cells.get(column);
            return value == null || value.isEmpty() ? null : value;
        }

        private static List<String> list(Map<String, String> cells, String column) {
            String value = cell(cells, column);
            return value == null ? List.of() : Arrays.asList(value.split(";", -1));
        }

        private static Integer number(int row, String column, String value, List<Problem.FieldError> errors) {
            if (value == null) {
                return null;
            }
            if (!value.matches("[0-9]{1,4}")) {
                errors.add(new Problem.FieldError(row, column, "must be a whole number of days"));
                return null;
            }
            return Integer.parseInt(value);
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }
}
