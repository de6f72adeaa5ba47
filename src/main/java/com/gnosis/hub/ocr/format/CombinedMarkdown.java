package com.gnosis.hub.ocr.format;

import com.gnosis.hub.ocr.PageText;
import java.util.ArrayList;
import java.util.List;

/**
 * combined_output.md, the hub's file and {@code ocr --format md} alike: each page's markdown under "# Page N",
 * pages joined by "\n\n---\n\n".
 */
public final class CombinedMarkdown {

    private CombinedMarkdown() {
    }

    /** @param pages each page's markdown, page 1 first */
    public static String of(List<String> pages) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) blocks.add("# Page " + (i + 1) + "\n\n" + pages.get(i));
        return String.join("\n\n---\n\n", blocks);
    }

    /**
     * A stored page's markdown: its layout blocks as {@link PageText#markdown()} writes them; a page without blocks
     * (a text layer, a session from before layout analysis) is its text.
     */
    public static String page(PageModel model, String text) {
        if (model == null || model.blocks().isEmpty()) return text;
        return new PageText(model.lines(), model.blocks(), List.of()).markdown();
    }
}
