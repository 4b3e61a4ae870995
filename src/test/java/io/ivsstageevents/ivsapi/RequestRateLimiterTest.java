package io.ivsstageevents.ivsapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic on a fake clock: exact, whatever the machine's load. */
class RequestRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    /** Starts negative: nanoTime may be, and only differences of it mean anything. */
    private long now = -7 * SECOND;
    private final List<Long> grants = new ArrayList<>();

    private RequestRateLimiter limiter(double requestsPerSecond) {
        return new RequestRateLimiter(requestsPerSecond, () -> now, nanos -> now += nanos);
    }

    private void acquire(RequestRateLimiter limiter, int times) throws InterruptedException {
        for (int i = 0; i < times; i++) {
            limiter.acquire();
            grants.add(now);
        }
    }

    @Test
    void backToBackRequestsAreSpacedByOneOverTheBudget() throws InterruptedException {
        long start = now;
        acquire(limiter(4), 20);

        assertThat(grants.get(0)).isEqualTo(start);
        for (int i = 1; i < grants.size(); i++) {
            assertThat(grants.get(i) - grants.get(i - 1)).isEqualTo(SECOND / 4);
        }
    }

    @Test
    void aPauseEarnsNoBurst() throws InterruptedException {
        RequestRateLimiter limiter = limiter(1);
        acquire(limiter, 1);
        now += 30 * SECOND;
        acquire(limiter, 2);

        assertThat(grants.get(2) - grants.get(1)).isEqualTo(SECOND);
    }

    @Test
    void aBudgetThatDoesNotDivideASecondRoundsTheSpacingUp() throws InterruptedException {
        acquire(limiter(3), 4);

        assertThat(grants.get(3) - grants.get(0)).isGreaterThanOrEqualTo(SECOND);
    }
}
