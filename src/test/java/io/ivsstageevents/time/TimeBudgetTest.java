package io.ivsstageevents.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.testing.TickingClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one time budget, on a clock that moves a second each time it is read. */
class TimeBudgetTest {
    private static final Instant START = Instant.parse("2026-03-14T18:00:00Z");

    @Test
    void aBudgetIsSpentOnceItsClockReachesItsEnd() {
        TimeBudget budget = TimeBudget.of(Duration.ofSeconds(3), new TickingClock(START, Duration.ofSeconds(1)));

        assertThat(budget.isSpent()).as("1 s in").isFalse();
        assertThat(budget.isSpent()).as("2 s in").isFalse();
        assertThat(budget.isSpent()).as("3 s in").isTrue();
    }

    @Test
    void workIsStartedOnlyWithAtLeastItsMarginLeft() {
        TimeBudget budget = TimeBudget.of(Duration.ofSeconds(10), new TickingClock(START, Duration.ofSeconds(1)));

        assertThat(budget.hasAtLeast(Duration.ofSeconds(9))).as("9 s left").isTrue();
        assertThat(budget.hasAtLeast(Duration.ofSeconds(9))).as("8 s left").isFalse();
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anUnlimitedBudgetIsNeverSpent() {
        TimeBudget budget = TimeBudget.unlimited();

        assertThat(budget.isSpent()).isFalse();
        assertThat(budget.hasAtLeast(Duration.ofDays(365))).isTrue();
        assertThat(budget.remaining()).isGreaterThan(Duration.ofDays(365));
    }
}
