package io.netconform.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StatsTest {

    @Test
    void oneToTenByHand() {
        // mean 5.5; s² = 82.5/9; t(9) = 2.262; half = 2.262 * 3.0276504 / √10 = 2.1657001
        Stats s = Stats.of(new double[]{7, 1, 10, 3, 5, 2, 9, 4, 8, 6});
        assertThat(s.n()).isEqualTo(10);
        assertThat(s.mean()).isCloseTo(5.5, within(1e-12));
        assertThat(s.stddev()).isCloseTo(3.027650, within(1e-6));
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(10);
        // type-7 interpolation: h = 9p → p50 between 5 and 6, p90 = 9 + 0.1, p99 = 9 + 0.91
        assertThat(s.p50()).isCloseTo(5.5, within(1e-12));
        assertThat(s.p90()).isCloseTo(9.1, within(1e-12));
        assertThat(s.p99()).isCloseTo(9.91, within(1e-12));
        assertThat(s.ci95Low()).isCloseTo(3.334300, within(1e-6));
        assertThat(s.ci95High()).isCloseTo(7.665700, within(1e-6));
        assertThat(s.relativeHalfWidth()).isCloseTo(2.165700 / 5.5, within(1e-6));
        assertThat(s.wide()).isTrue();
    }

    @Test
    void fourSamplesUseStudentTWithThreeDegreesOfFreedom() {
        // mean 11.5, s = √(5/3) = 1.290994, t(3) = 3.182 → half = 2.053972, 17.9 % of the mean
        Stats s = Stats.of(new double[]{13, 10, 12, 11});
        assertThat(s.ci95Low()).isCloseTo(11.5 - 2.053972, within(1e-6));
        assertThat(s.ci95High()).isCloseTo(11.5 + 2.053972, within(1e-6));
        assertThat(s.p50()).isCloseTo(11.5, within(1e-12));
        assertThat(s.p90()).isCloseTo(12.7, within(1e-12));
        assertThat(s.p99()).isCloseTo(12.97, within(1e-12));
        assertThat(s.wide()).as("17.9 %% half-width against the default 10 %%").isTrue();
        assertThat(Stats.of(new double[]{13, 10, 12, 11}, 0.20).wide()).as("against a 20 %% threshold").isFalse();
    }

    @Test
    void beyondThirtyDegreesOfFreedomTheNormalValueApplies() {
        double[] x = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i < 20 ? 1 : 3;
        }
        // mean 2, s = √(40/39) = 1.012739, half = 1.96 * s / √40 = 0.313851
        Stats s = Stats.of(x);
        assertThat(s.halfWidth()).isCloseTo(0.313851, within(1e-6));
        assertThat(Stats.tCritical95(30)).isEqualTo(2.042);
        assertThat(Stats.tCritical95(31)).isEqualTo(1.96);
        assertThat(Stats.tCritical95(1)).isEqualTo(12.706);
    }

    @Test
    void tightSamplesAreNotWide() {
        Stats s = Stats.of(new double[]{100, 101, 99, 100, 100});
        assertThat(s.wide()).isFalse();
        assertThat(s.relativeHalfWidth()).isLessThan(0.02);
    }

    @Test
    void aSingleSampleHasNoIntervalAndIsWide() {
        Stats s = Stats.of(new double[]{4.2});
        assertThat(s.p50()).isEqualTo(4.2);
        assertThat(s.p99()).isEqualTo(4.2);
        assertThat(s.ci95Low()).isNaN();
        assertThat(s.wide()).isTrue();
    }

    @Test
    void nonOverlappingIntervalsDiffer() {
        Stats a = Stats.of(new double[]{100, 101, 99, 100, 100});
        Stats b = Stats.of(new double[]{110, 111, 109, 110, 110});
        Stats c = Stats.of(new double[]{100, 103, 97, 101, 99});
        assertThat(a.differsFrom(b)).isTrue();
        assertThat(b.differsFrom(a)).isTrue();
        assertThat(a.differsFrom(c)).isFalse();
    }

    @Test
    void warmupSamplesAreDroppedFromTheFront() {
        assertThat(Stats.discardWarmup(new double[]{9, 8, 1, 2}, 2)).containsExactly(1, 2);
        assertThatThrownBy(() -> Stats.discardWarmup(new double[]{1, 2}, 2))
                .hasMessageContaining("leaves none of 2");
    }

    @Test
    void rejectsEmptyAndNonFiniteSamples() {
        assertThatThrownBy(() -> Stats.of(new double[0])).hasMessageContaining("at least one sample");
        assertThatThrownBy(() -> Stats.of(new double[]{1, Double.NaN})).hasMessageContaining("NaN");
    }
}
