package com.gnosis.hub.ocr.ppocr;

/**
 * What the recognition model read in one crop: the text, the mean of its characters' probabilities, and where each
 * character's CTC columns lie along the crop.
 *
 * @param starts per character of {@code text}, the start of its columns as a fraction of the crop's length
 * @param ends   per character, the end of its columns as a fraction of the crop's length
 * @param scores per character, its probability
 */
record Reading(String text, double confidence, float[] starts, float[] ends, float[] scores) {

    /** A reading without character positions. */
    Reading(String text, double confidence) {
        this(text, confidence, new float[text.length()], new float[text.length()], new float[text.length()]);
    }

    /** The same reading with its character positions mapped from [0, 1] of this crop onto [from, to] of a longer one. */
    Reading within(float from, float to) {
        float[] s = new float[starts.length];
        float[] e = new float[ends.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = from + starts[i] * (to - from);
            e[i] = from + ends[i] * (to - from);
        }
        return new Reading(text, confidence, s, e, scores);
    }

    /** Without a lone, doubtful punctuation mark at either end (an edge of the next word or a speck read as ")"). */
    Reading trimmed() {
        int from = 0;
        int to = text.length();
        if (to >= 3 && doubtfulMark(0) && text.charAt(1) == ' ') {
            from = 2;
        }
        if (to - from >= 3 && doubtfulMark(to - 1) && text.charAt(to - 2) == ' ') {
            to -= 2;
        }
        if (from == 0 && to == text.length()) {
            return this;
        }
        return new Reading(text.substring(from, to), confidence, java.util.Arrays.copyOfRange(starts, from, to),
                java.util.Arrays.copyOfRange(ends, from, to), java.util.Arrays.copyOfRange(scores, from, to));
    }

    private boolean doubtfulMark(int i) {
        return !Character.isLetterOrDigit(text.charAt(i)) && scores[i] < 0.8f;
    }
}
