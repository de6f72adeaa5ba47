package com.gnosis.hub.bench;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CerTest {

    @Test
    void bitParallelDistanceMatchesDynamicProgrammingAcrossWordBoundaries() {
        Random random = new Random(7);
        for (int round = 0; round < 400; round++) {
            int[] a = random.ints(random.nextInt(200), 'a', 'e').toArray();
            int[] b = random.ints(random.nextInt(200), 'a', 'f').toArray();
            assertThat(Cer.levenshtein(a, b)).as("round %d", round).isEqualTo(dp(a, b));
        }
        assertThat(Cer.levenshtein("kitten".codePoints().toArray(), "sitting".codePoints().toArray())).isEqualTo(3);
    }

    @Test
    void normalisesAsTheReferenceScorer() {
        assertThat(Cer.normWs("\ufeff\ufeff a\u00a0\t b\n\n\u2028c \u001c")).isEqualTo("a b c");
        assertThat(Cer.normWs("e\u0301")).isEqualTo("\u00e9");
        assertThat(Cer.normFolded("\ufb01 \u201cx\u201d \u2013 so\u00adft")).isEqualTo("fi \"x\" - soft");
        assertThat(Cer.score("abcd", "abxd", false).edits()).isEqualTo(1);
        assertThat(Cer.score("", "", false).cer()).isZero();
    }

    private static long dp(int[] a, int[] b) {
        long[] prev = new long[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            long[] cur = new long[b.length + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length];
    }
}
