package com.gnosis.hub.ocr.ppocr;

import org.locationtech.jts.algorithm.ConvexHull;
import org.locationtech.jts.algorithm.MinimumAreaRectangle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DB post-processing: text probability map -> rotated line boxes in page pixels.
 * Geometry (convex hull, minimum-area rectangle, buffer for unclip) is JTS: a ~1 MB pure-Java library,
 * where OpenCV, PaddleOCR's choice, would add a ~110 MB jar with native code for four functions.
 */
final class TextBoxes {

    private static final GeometryFactory GEOMETRY = new GeometryFactory();
    private static final int MIN_SIDE = 3;
    private static final int MAX_CANDIDATES = 1000;

    private final float threshold;
    private final float boxThreshold;
    private final float unclipRatio;

    TextBoxes(float threshold, float boxThreshold, float unclipRatio) {
        this.threshold = threshold;
        this.boxThreshold = boxThreshold;
        this.unclipRatio = unclipRatio;
    }

    /** Boxes as 4 points TL, TR, BR, BL in page pixels of a pageWidth x pageHeight page. */
    List<float[][]> find(ProbabilityMap map, int pageWidth, int pageHeight) {
        int w = map.width();
        int h = map.height();
        float[] prob = map.prob();
        int[] label = new int[w * h];
        int[] stack = new int[1024];
        int[] members = new int[1024];
        List<float[][]> boxes = new ArrayList<>();
        int next = 0;
        for (int start = 0; start < prob.length && next < MAX_CANDIDATES; start++) {
            if (label[start] != 0 || prob[start] <= threshold) {
                continue;
            }
            next++;
            // Flood fill of one 8-connected component, remembering its pixels.
            int count = 0;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int p = stack[--top];
                if (count == members.length) {
                    members = Arrays.copyOf(members, count * 2);
                }
                members[count++] = p;
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= w) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (label[q] == 0 && prob[q] > threshold) {
                            label[q] = next;
                            if (top == stack.length) {
                                stack = Arrays.copyOf(stack, top * 2);
                            }
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (count < 4) {
                continue;
            }
            float[][] box = box(members, count, w, prob, map, pageWidth, pageHeight);
            if (box != null) {
                boxes.add(box);
            }
        }
        return boxes;
    }

    private float[][] box(int[] members, int count, int w, float[] prob, ProbabilityMap map, int pageWidth, int pageHeight) {
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            int y = members[i] / w;
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int rows = maxY - minY + 1;
        int[] left = new int[rows];
        int[] right = new int[rows];
        Arrays.fill(left, Integer.MAX_VALUE);
        Arrays.fill(right, Integer.MIN_VALUE);
        for (int i = 0; i < count; i++) {
            int y = members[i] / w - minY;
            int x = members[i] % w;
            left[y] = Math.min(left[y], x);
            right[y] = Math.max(right[y], x);
        }
        // The extreme pixels of each row span the same convex hull as the whole component (pixel centres, as OpenCV).
        Coordinate[] points = new Coordinate[rows * 2];
        for (int r = 0; r < rows; r++) {
            points[2 * r] = new Coordinate(left[r] + 0.5, minY + r + 0.5);
            points[2 * r + 1] = new Coordinate(right[r] + 0.5, minY + r + 0.5);
        }
        Geometry hull = new ConvexHull(points, GEOMETRY).getConvexHull();
        float[][] core = rectangle(hull);
        if (core == null || shortSide(core) < MIN_SIDE) {
            return null;
        }
        if (meanInside(core, prob, w, map.height()) < boxThreshold) {
            return null;
        }
        // Unclip: DB predicts a shrunk text core; grow it by area * ratio / perimeter, as PaddleOCR does with pyclipper.
        Polygon polygon = polygon(core);
        double distance = polygon.getArea() * unclipRatio / polygon.getLength();
        float[][] grown = rectangle(polygon.buffer(distance, 2));
        if (grown == null || shortSide(grown) < MIN_SIDE + 2) {
            return null;
        }
        for (float[] p : grown) {
            p[0] = Math.max(0, Math.min(pageWidth, map.pageX(p[0])));
            p[1] = Math.max(0, Math.min(pageHeight, map.pageY(p[1])));
        }
        return grown;
    }

    /** The minimum-area rectangle around a geometry, as TL, TR, BR, BL (PaddleOCR's point order), or null if degenerate. */
    static float[][] rectangle(Geometry geometry) {
        Geometry rect = MinimumAreaRectangle.getMinimumRectangle(geometry);
        if (!(rect instanceof Polygon polygon)) {
            return null;
        }
        Coordinate[] c = polygon.getExteriorRing().getCoordinates();
        if (c.length < 5) {
            return null;
        }
        float[][] p = new float[4][];
        for (int i = 0; i < 4; i++) {
            p[i] = new float[] {(float) c[i].x, (float) c[i].y};
        }
        return order(p);
    }

    /** PaddleOCR's get_mini_boxes order: the two leftmost points give TL (upper) and BL, the others TR and BR. */
    static float[][] order(float[][] p) {
        float[][] s = p.clone();
        Arrays.sort(s, (a, b) -> Float.compare(a[0], b[0]));
        float[] tl = s[0][1] <= s[1][1] ? s[0] : s[1];
        float[] bl = s[0][1] <= s[1][1] ? s[1] : s[0];
        float[] tr = s[2][1] <= s[3][1] ? s[2] : s[3];
        float[] br = s[2][1] <= s[3][1] ? s[3] : s[2];
        return new float[][] {tl, tr, br, bl};
    }

    private static Polygon polygon(float[][] p) {
        Coordinate[] ring = new Coordinate[5];
        for (int i = 0; i < 4; i++) {
            ring[i] = new Coordinate(p[i][0], p[i][1]);
        }
        ring[4] = ring[0];
        return GEOMETRY.createPolygon(ring);
    }

    static float shortSide(float[][] p) {
        return (float) Math.min(PageImage.dist(p[0], p[1]), PageImage.dist(p[1], p[2]));
    }

    /** Mean probability of the pixels whose centres lie inside the convex quad (PaddleOCR's box score). */
    private static float meanInside(float[][] quad, float[] prob, int w, int h) {
        float minY = Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (float[] p : quad) {
            minY = Math.min(minY, p[1]);
            maxY = Math.max(maxY, p[1]);
        }
        int y0 = Math.max(0, (int) Math.floor(minY));
        int y1 = Math.min(h - 1, (int) Math.ceil(maxY));
        double sum = 0;
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            float yc = y + 0.5f;
            float xl = Float.MAX_VALUE;
            float xr = -Float.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                float[] a = quad[i];
                float[] b = quad[(i + 1) % 4];
                if ((a[1] <= yc && b[1] >= yc) || (b[1] <= yc && a[1] >= yc)) {
                    float x = a[1] == b[1] ? Math.min(a[0], b[0]) : a[0] + (yc - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                    float x2 = a[1] == b[1] ? Math.max(a[0], b[0]) : x;
                    xl = Math.min(xl, x);
                    xr = Math.max(xr, x2);
                }
            }
            int from = Math.max(0, (int) Math.ceil(xl - 0.5f));
            int to = Math.min(w - 1, (int) Math.floor(xr - 0.5f));
            for (int x = from; x <= to; x++) {
                sum += prob[y * w + x];
                n++;
            }
        }
        return n == 0 ? 0f : (float) (sum / n);
    }
}
