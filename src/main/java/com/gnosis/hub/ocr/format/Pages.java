package com.gnosis.hub.ocr.format;

import java.io.IOException;
import java.util.List;

/** A document's pages in order, read one at a time so that a long document never sits in memory whole. */
public interface Pages {

    int count();

    /** Page {@code number}, 1-based. */
    PageModel page(int number) throws IOException;

    /** Pages already in memory (the command line). */
    static Pages of(List<PageModel> pages) {
        return new Pages() {
            @Override
            public int count() {
                return pages.size();
            }

            @Override
            public PageModel page(int number) {
                return pages.get(number - 1);
            }
        };
    }
}
