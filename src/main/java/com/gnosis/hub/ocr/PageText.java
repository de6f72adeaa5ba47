package com.gnosis.hub.ocr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A page's text in reading order: paragraphs of lines.
 *
 * @param paragraphs each paragraph's lines, top to bottom, paragraphs in reading order
 */
public record PageText(List<List<TextLine>> paragraphs) {

    public PageText {
        paragraphs = paragraphs.stream().filter(p -> !p.isEmpty()).map(List::copyOf).toList();
    }

    /** All lines in reading order. */
    public List<TextLine> lines() {
        return paragraphs.stream().flatMap(List::stream).toList();
    }

    /** Lines joined by newlines, a blank line between paragraphs. */
    public String text() {
        return paragraphs.stream()
                .map(p -> p.stream().map(TextLine::text).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n\n"));
    }

    /** Markdown: one paragraph per block (its lines joined by spaces), blocks separated by blank lines. */
    public String markdown() {
        return paragraphs.stream()
                .map(p -> p.stream().map(l -> escape(l.text())).collect(Collectors.joining(" ")))
                .collect(Collectors.joining("\n\n"));
    }

    // A line starting with #, -, + or "1." would otherwise turn into a heading or a list item.
    private static String escape(String line) {
        if (line.matches("^(#{1,6}\\s|[-+*]\\s|\\d+[.)]\\s|>).*")) {
            return "\\" + line;
        }
        return line;
    }
}
