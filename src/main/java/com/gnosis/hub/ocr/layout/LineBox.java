package com.gnosis.hub.ocr.layout;

/**
 * A detected piece of a text line as layout analysis sees it: an upright box in the page's de-skewed frame.
 *
 * @param id   the caller's index of the piece
 * @param text what was read in it (page numbers, captions and footnotes are partly told by their text)
 */
public record LineBox(int id, double x0, double y0, double x1, double y1, String text) {

    double height() {
        return y1 - y0;
    }

    double width() {
        return x1 - x0;
    }

    double centerY() {
        return (y0 + y1) / 2;
    }

    double centerX() {
        return (x0 + x1) / 2;
    }
}
