package dev.rekey.notifier.mail;

/** Makes event-supplied text safe to put into a mail: one line, bounded length. */
final class MailText {

    private MailText() {
    }

    /**
     * Control characters (CR/LF above all) become spaces, so that a title or reason cannot forge a header line or
     * break the layout of the body.
     */
    static String oneLine(String text, int maxLength) {
        if (text == null || text.isBlank()) {
            return "-";
        }
        String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return flat.length() <= maxLength ? flat : flat.substring(0, maxLength - 1) + "…";
    }
}
