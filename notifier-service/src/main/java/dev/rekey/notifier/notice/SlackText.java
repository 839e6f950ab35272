package dev.rekey.notifier.notice;

import io.quarkus.qute.TemplateExtension;

/** Template extension {@code {text.slack}}: Slack's three control characters escaped, so no text becomes a mention or a link. */
@TemplateExtension
final class SlackText {

    private SlackText() {
    }

    static String slack(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
