package com.gnosis.hub.ocr.ppocr;

import ai.djl.translate.TranslateException;
import com.gnosis.hub.ocr.TextLine;
import com.gnosis.hub.ocr.Word;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One page, start to end, on the calling thread with its own predictors: detection, direction, recognition, then a
 * second look at ink no line covers. Which thread reads which page is the caller's business (the page scheduler).
 */
final class PagePipeline {

    /** What was read on a page, in no particular order, and what the reader could not account for. */
    record PageLines(List<TextLine> lines, List<String> warnings) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PagePipeline.class);
    // Below this mean probability a reading is noise (PaddleOCR's drop_score).
    private static final double DROP_SCORE = 0.5;
    // Pages with this few lines decide their direction by reading them both ways: one classifier vote is too few.
    private static final int FEW_LINES = 3;
    // A page's classifier vote for upside down is checked by reading this many of its longest lines both ways.
    private static final int CHECK_LINES = 4;
    // The most regions of uncovered ink looked at again per page.
    private static final int MAX_RESCUES = 12;

    private final LineDetector detector;
    private final LineRecogniser recogniser;
    private final boolean useClassifier;

    PagePipeline(PpOcrSettings settings) {
        this.detector = new LineDetector(settings);
        this.recogniser = new LineRecogniser(settings.recBatch());
        this.useClassifier = settings.useClassifier();
    }

    PageLines read(Predictors predictors, PageImage page) throws TranslateException {
        long start = System.nanoTime();
        List<float[][]> boxes = detector.detect(predictors, page);
        long detected = System.nanoTime();
        if (PageOrientation.turnedByAQuarter(boxes)) {
            // Text running up or down the page: detection finds lines better on the page turned upright.
            PageLines upright = readUpright(predictors, page.turnedClockwise());
            return new PageLines(upright.lines().stream().map(l -> unturn(l, page.height)).toList(), upright.warnings());
        }
        return readUpright(predictors, page, boxes, start, detected);
    }

    private PageLines readUpright(Predictors predictors, PageImage page) throws TranslateException {
        long start = System.nanoTime();
        List<float[][]> boxes = detector.detect(predictors, page);
        return readUpright(predictors, page, boxes, start, System.nanoTime());
    }

    private PageLines readUpright(Predictors predictors, PageImage page, List<float[][]> boxes, long start, long detected)
            throws TranslateException {
        List<float[][]> reading = PageOrientation.quarterTurns(boxes);
        Reading[] readings = recogniser.recognise(predictors, page, reading);
        boolean flipped = false;
        if (!reading.isEmpty() && upsideDown(predictors, page, reading, readings)) {
            flipped = true;
            reading.replaceAll(PageOrientation::halfTurn);
            readings = recogniser.recognise(predictors, page, reading);
        }
        long recognised = System.nanoTime();
        if (LOG.isTraceEnabled()) {
            for (Reading r : readings) {
                LOG.trace("reading {} {} scores {}", r.text(), r.confidence(), Arrays.toString(r.scores()));
            }
        }
        List<TextLine> lines = new ArrayList<>(reading.size());
        List<float[][]> kept = new ArrayList<>(reading.size());
        for (int i = 0; i < reading.size(); i++) {
            TextLine line = line(readings[i], reading.get(i), 0, 0);
            if (line != null) {
                lines.add(line);
                kept.add(reading.get(i));
            }
        }
        List<String> warnings = rescue(predictors, page, kept, lines, flipped);
        LOG.debug("page {}x{}: detection {} ms ({} boxes), direction and recognition {} ms, second look {} ms",
                page.width, page.height, (detected - start) / 1_000_000, boxes.size(),
                (recognised - detected) / 1_000_000, (System.nanoTime() - recognised) / 1_000_000);
        return new PageLines(lines, warnings);
    }

    /** A line read on the page turned clockwise, put back on the page (of the given height) as it lies. */
    private static TextLine unturn(TextLine line, int pageHeight) {
        float[][] polygon = new float[4][];
        for (int k = 0; k < 4; k++) {
            float[] p = line.polygon()[k];
            polygon[k] = new float[] {p[1], pageHeight - p[0]};
        }
        List<Word> words = new ArrayList<>();
        for (Word w : line.words()) {
            float[] b = w.box();
            words.add(new Word(w.text(), new float[] {b[1], pageHeight - b[2], b[3], pageHeight - b[0]}, w.confidence()));
        }
        return new TextLine(line.text(), line.confidence(), polygon, line.source(), words);
    }

    /** A reading as a page line (its box moved by dx, dy), or null when it is empty or noise. */
    private static TextLine line(Reading read, float[][] b, float dx, float dy) {
        Reading r = read.trimmed();
        String text = r.text().strip();
        if (text.isEmpty() || r.confidence() < DROP_SCORE || (text.length() <= 2 && text.codePoints().noneMatch(Character::isLetterOrDigit))) {
            // A lone bracket or dot read in a speck, not text.
            return null;
        }
        // Corners in reading direction: on an upside-down page TL is the text's start, at the page's bottom right.
        float[][] polygon = new float[4][];
        for (int k = 0; k < 4; k++) {
            polygon[k] = new float[] {b[k][0] + dx, b[k][1] + dy};
        }
        return new TextLine(text, r.confidence(), polygon, TextLine.Source.OCR, LineWords.place(r, polygon));
    }

    /**
     * Whether the page reads better turned by half. A page of a few lines is read both ways and the better-scored
     * reading wins (ties keep the page as it is); a longer page follows the classifier's vote, but only when its
     * longest lines also read better turned, so that an upright page is never flipped by a wrong vote.
     */
    private boolean upsideDown(Predictors predictors, PageImage page, List<float[][]> reading, Reading[] readings)
            throws TranslateException {
        if (reading.size() <= FEW_LINES) {
            List<float[][]> turned = reading.stream().map(PageOrientation::halfTurn).toList();
            return score(recogniser.recognise(predictors, page, turned)) > score(readings) + 0.02;
        }
        if (!useClassifier || !PageOrientation.classifierSaysUpsideDown(predictors, page, reading)) {
            return false;
        }
        Integer[] longest = new Integer[reading.size()];
        for (int i = 0; i < longest.length; i++) {
            longest[i] = i;
        }
        Arrays.sort(longest, Comparator.comparingDouble((Integer i) -> -PageImage.dist(reading.get(i)[0], reading.get(i)[1])));
        List<float[][]> sample = new ArrayList<>();
        Reading[] asIs = new Reading[Math.min(CHECK_LINES, longest.length)];
        for (int k = 0; k < asIs.length; k++) {
            sample.add(PageOrientation.halfTurn(reading.get(longest[k])));
            asIs[k] = readings[longest[k]];
        }
        return score(recogniser.recognise(predictors, page, sample)) > score(asIs);
    }

    /** Mean character confidence of the readings, an empty reading counting as one character of confidence 0. */
    private static double score(Reading[] readings) {
        double sum = 0;
        int chars = 0;
        for (Reading r : readings) {
            int n = r.text().strip().length();
            sum += r.confidence() * Math.max(1, n);
            chars += Math.max(1, n);
        }
        return chars == 0 ? 0 : sum / chars;
    }

    /**
     * A second look at ink that no read line covers: each region is cut out, its contrast stretched (inverted when it
     * is mostly ink, as light type on a dark bar is), and detected again; a line-shaped region where detection still
     * finds nothing is read as one line. Regions that still give no text come back as a warning.
     */
    private List<String> rescue(Predictors predictors, PageImage page, List<float[][]> kept, List<TextLine> lines,
                                boolean flipped) throws TranslateException {
        double lineHeight = lineHeight(kept);
        InkCoverage coverage = InkCoverage.of(page);
        List<InkCoverage.Region> regions = coverage.uncovered(kept, lineHeight > 0 ? lineHeight : 24);
        if (lineHeight <= 0 && !regions.isEmpty()) {
            // Nothing was read: the ink's own height is the measure.
            lineHeight = regions.stream().mapToInt(InkCoverage.Region::height).max().orElse(24);
            regions = coverage.uncovered(kept, lineHeight);
        }
        List<InkCoverage.Region> lost = new ArrayList<>();
        for (int k = 0; k < regions.size(); k++) {
            InkCoverage.Region region = regions.get(k);
            if (k >= MAX_RESCUES || !readAgain(predictors, page, region, lineHeight, lines, flipped)) {
                lost.add(region);
            }
        }
        if (lost.isEmpty()) {
            return List.of();
        }
        InkCoverage.Region largest = lost.get(0);
        return List.of(String.format(Locale.ROOT,
                "%d place(s) with ink that was not read as text, the largest at x=%d y=%d (%dx%d px): the scan may be "
                        + "creased, faint or damaged there", lost.size(), largest.x0(), largest.y0(), largest.width(),
                largest.height()));
    }

    private boolean readAgain(Predictors predictors, PageImage page, InkCoverage.Region region, double lineHeight,
                              List<TextLine> lines, boolean flipped) throws TranslateException {
        int mx = (int) Math.ceil(lineHeight);
        int my = (int) Math.ceil(0.5 * lineHeight);
        int x0 = Math.max(0, region.x0() - mx);
        int y0 = Math.max(0, region.y0() - my);
        PageImage crop = page.region(x0, y0, region.x1() + mx, region.y1() + my, region.fill() > 0.5);
        float rx0 = region.x0() - x0;
        float ry0 = region.y0() - y0;
        float rx1 = region.x1() - x0;
        float ry1 = region.y1() - y0;
        float slack = (float) (0.25 * lineHeight);
        List<float[][]> found = new ArrayList<>();
        boolean readBefore = false;
        for (float[][] b : detector.detect(predictors, crop)) {
            float cx = (b[0][0] + b[1][0] + b[2][0] + b[3][0]) / 4;
            float cy = (b[0][1] + b[1][1] + b[2][1] + b[3][1]) / 4;
            // Lines above and below come into the cut-out's margin; only what lies on the region counts.
            if (cx < rx0 - slack || cx > rx1 + slack || cy < ry0 - slack || cy > ry1 + slack) {
                continue;
            }
            if (lines.stream().anyMatch(l -> l.minX() <= cx + x0 && cx + x0 <= l.maxX() && l.minY() <= cy + y0 && cy + y0 <= l.maxY())) {
                // The rest of a line read already (the bar around light type, a descender below the box).
                readBefore = true;
            } else {
                found.add(b);
            }
        }
        if (found.isEmpty() && readBefore) {
            return true;
        }
        if (found.isEmpty() && region.width() >= 1.5 * region.height()) {
            float m = (float) Math.min(my, 0.2 * region.height() + 2);
            found.add(new float[][] {{rx0 - m, ry0 - m}, {rx1 + m, ry0 - m}, {rx1 + m, ry1 + m}, {rx0 - m, ry1 + m}});
        }
        if (found.isEmpty()) {
            return false;
        }
        List<float[][]> reading = PageOrientation.quarterTurns(found);
        if (flipped) {
            reading.replaceAll(PageOrientation::halfTurn);
        }
        Reading[] readings = recogniser.recognise(predictors, crop, reading);
        boolean any = false;
        LOG.debug("second look at {}: {} box(es), read {}", region, reading.size(), Arrays.toString(readings));
        for (int i = 0; i < reading.size(); i++) {
            TextLine line = line(readings[i], reading.get(i), x0, y0);
            if (line != null) {
                lines.add(line);
                any = true;
            }
        }
        return any;
    }

    /** Median height of the line boxes (their shorter side), 0 without boxes. */
    private static double lineHeight(List<float[][]> boxes) {
        double[] heights = boxes.stream().mapToDouble(TextBoxes::shortSide).sorted().toArray();
        return heights.length == 0 ? 0 : heights[heights.length / 2];
    }
}
