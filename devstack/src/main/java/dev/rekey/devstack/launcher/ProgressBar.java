package dev.rekey.devstack.launcher;

/** A one-line text progress bar. */
public final class ProgressBar {

    private ProgressBar() {
    }

    /** {@code [##########----------]  50/100} */
    public static String render(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) Math.min(done, total) * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                + String.format("%" + String.valueOf(Math.max(total, 1)).length() + "d/%d", done, total);
    }
}
