package com.gnosis.hub.session;

import java.util.regex.Pattern;

/** The file names of a session folder, as DESIGN.md fixes them (gnosis-ocr's layout). */
public final class SessionFiles {

    public static final String METADATA = "metadata.json";
    public static final String STATUS = "status.json";
    public static final String COMBINED = "combined_output.md";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private SessionFiles() {
    }

    /** upload.pdf, upload.png, upload.jpg, upload.tif */
    public static String original(String extension) {
        return "upload." + extension;
    }

    public static String pageImage(int page) {
        return String.format("page_%03d.png", page);
    }

    public static String pageText(int page) {
        return String.format("page_%03d_result.txt", page);
    }

    public static String pageLines(int page) {
        return String.format("page_%03d.json", page);
    }

    /** Whether a client-supplied name can name a file of a session (no folders, no dot-dot). */
    public static boolean isSafeName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches() && !name.contains("..");
    }
}
