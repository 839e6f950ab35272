package dev.rekey.inventory.campaign.rest;

import dev.rekey.inventory.campaign.CampaignEvidence;

import java.util.List;
import java.util.Objects;

/**
 * A campaign's evidence as CSV (RFC 4180): the header row, then one row per credential, lines ending in CRLF. A field
 * with a comma, a quote, a line break or surrounding spaces is quoted, quotes doubled. A text field that a
 * spreadsheet would run as a formula ({@code =}, {@code +}, {@code -}, {@code @}, tab) is prefixed with {@code '}
 * (OWASP's advice against CSV injection): reasons come from downstream systems' error messages. Nothing in it is a
 * secret: the report holds references and versions only.
 */
final class CampaignCsv {

    static final String HEADER = "credential_id,name,owner_id,system_id,vault_mount,vault_path,rotation_id,outcome,"
            + "previous_version,version,verified_at,reason,attempts,retried_by";

    private CampaignCsv() {
    }

    static String of(CampaignEvidence.Report report) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (CampaignEvidence.Line line : report.credentials()) {
            List<String> fields = List.of(plain(line.credentialId()), text(line.name()), plain(line.ownerId()),
                    plain(line.systemId()), plain(line.vaultMount()), plain(line.vaultPath()),
                    plain(line.rotationId()), plain(line.outcome()), plain(line.previousVersion()),
                    plain(line.version()), plain(line.verifiedAt()), text(line.reason()),
                    plain(line.attempts()), text(line.retriedBy()));
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    csv.append(',');
                }
                csv.append(quoted(fields.get(i)));
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static String plain(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Free text: neutralised where a spreadsheet would read a formula. */
    static String text(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    }

    static String quoted(String field) {
        Objects.requireNonNull(field);
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0 || (!field.isEmpty()
                && (Character.isWhitespace(field.charAt(0)) || Character.isWhitespace(field.charAt(field.length() - 1))));
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }
}
