package com.gnosis.hub.ocr.ppocr;

/** What the recognition model read in one crop: the text and the mean of its characters' probabilities. */
record Reading(String text, double confidence) {
}
