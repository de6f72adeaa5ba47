package com.gnosis.hub.storage;

import java.util.Locale;

/** The content type of a stored file, from its name (stored names are the hub's own). */
public final class ContentTypes {

    private ContentTypes() {
    }

    public static String of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return "application/json";
        if (name.endsWith(".md")) return "text/markdown; charset=utf-8";
        if (name.endsWith(".txt")) return "text/plain; charset=utf-8";
        if (name.endsWith(".png")) return "image/png";
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) return "image/jpeg";
        if (name.endsWith(".tif") || name.endsWith(".tiff")) return "image/tiff";
        if (name.endsWith(".pdf")) return "application/pdf";
        if (name.endsWith(".zip")) return "application/zip";
        return "application/octet-stream";
    }
}
