package io.ivsstageevents.storage;

import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/** The time one event may still spend in DynamoDB: each call gets what is left as its own timeout. */
final class Deadline {
    private final Duration budget;
    private final long endNanos;

    Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    AwsRequestOverrideConfiguration remaining() {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            throw new IllegalStateException("the event's DynamoDB time budget of " + budget.toSeconds()
                    + " s is spent; failing so that Lambda retries");
        }
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(Duration.ofNanos(left)).build();
    }
}
