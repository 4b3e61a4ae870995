package io.ivsstageevents.reliability;

import io.ivsstageevents.reconciler.Coverage;
import org.junit.jupiter.api.Nested;

/** The reconciliation scenario ({@link ReconciliationScenario}), once with each coverage. */
class ReconciliationScenarioTest {
    /** The default: a session of more than a page of participants is read for those who can carry a recorded kind. */
    @Nested
    class WithAdaptiveCoverage extends ReconciliationScenario {
        @Override
        Coverage coverage() {
            return Coverage.ADAPTIVE;
        }
    }

    @Nested
    class WithAllCoverage extends ReconciliationScenario {
        @Override
        Coverage coverage() {
            return Coverage.ALL;
        }
    }
}
