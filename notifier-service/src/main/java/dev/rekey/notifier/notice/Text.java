package dev.rekey.notifier.notice;

/** Makes event-supplied text safe for every channel: one line, bounded length. Escaping is the templates' job. */
final class Text {

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}+");

    private Text() {
    }

    /** Control characters (CR/LF above all) become spaces, so that a title cannot forge a header or a layout. */
    static String line(String text, int maxLength) {
        if (text == null || text.isBlank()) {
            return "-";
        }
        String flat = CONTROL.matcher(text).find() ? CONTROL.matcher(text).replaceAll(" ").strip() : text.strip();
        return flat.length() <= maxLength ? flat : flat.substring(0, maxLength - 1) + "…";
    }

    static String credentials(long count) {
        return count == 1 ? "1 credential" : count + " credentials";
    }
}
