package com.gnosis.hub.pipeline;

import com.gnosis.hub.ocr.PageResult;
import com.gnosis.hub.ocr.format.CombinedMarkdown;
import com.gnosis.hub.ocr.format.PageModel;
import com.gnosis.hub.session.Json;
import com.gnosis.hub.session.SessionFiles;
import com.gnosis.hub.session.SessionRef;
import com.gnosis.hub.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a read page leaves in storage, the same for every pipeline that reads pages (one process or a cluster
 * on a broker): its image, its text, and its lines JSON, whose presence marks the page as done.
 */
public final class StoredPage {

    private StoredPage() {
    }

    /** The page's files by name, in the order they are to be written: the lines file last. */
    public static Map<String, byte[]> files(PageResult result) throws IOException {
        int page = result.pageNumber();
        Map<String, byte[]> files = new LinkedHashMap<>();
        // a text-layer page was never rendered: its image is made when the viewer first asks for it
        if (result.image() != null) files.put(SessionFiles.pageImage(page), PngEncoder.encode(result.image()));
        files.put(SessionFiles.pageText(page), result.text().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("page_number", page);
        lines.put("width", result.width());
        lines.put("height", result.height());
        lines.put("source", result.source());
        lines.put("confidence", result.confidence());
        lines.put("processing_time", result.millis() / 1000.0);
        lines.put("lines", result.lines());
        lines.put("blocks", result.blocks());
        lines.put("warnings", result.warnings());
        files.put(SessionFiles.pageLines(page), Json.bytes(lines));
        return files;
    }

    /** combined_output.md from the stored pages (their layout blocks, else their text): see {@link CombinedMarkdown}. */
    public static byte[] combined(Storage storage, SessionRef ref, int pages) throws IOException {
        List<String> markdown = new ArrayList<>();
        for (int page = 1; page <= pages; page++) {
            Optional<byte[]> json = storage.get(ref.key(SessionFiles.pageLines(page)));
            PageModel model = json.isEmpty() ? null : PageModel.parse(json.get(), page);
            // the page's text is read only where its markdown is its text (no layout blocks): one read per page
            String text = model != null && !model.blocks().isEmpty() ? "" : storage.get(ref.key(SessionFiles.pageText(page)))
                    .map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            markdown.add(CombinedMarkdown.page(model, text));
        }
        return CombinedMarkdown.of(markdown).getBytes(StandardCharsets.UTF_8);
    }
}
