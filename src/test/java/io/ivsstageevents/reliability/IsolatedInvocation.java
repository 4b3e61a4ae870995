package io.ivsstageevents.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ivsstageevents.Configuration;
import io.ivsstageevents.metrics.StageEventMetrics;
import io.ivsstageevents.model.InvalidEventException;
import io.ivsstageevents.reliability.HostileCorpus.Expected;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.LocalFunction;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One invocation of the real handler, on a table of its own, with everything it did kept: what it threw, what it
 * logged and measured, and how many items it left. The invariant for input that is not a good event lives here.
 */
record IsolatedInvocation(Throwable thrown, List<String> logLines, List<String> metricDocuments,
                          int itemsWritten) {
    /** A JSON path as the parser names fields: detail.newToken.capabilities[1], Records[0].messageId, ... */
    private static final Pattern FIELD_PATH = Pattern.compile(
            "[A-Za-z][\\w-]*(\\[\\d+])?(\\.(<attribute>|[A-Za-z][\\w-]*)(\\[\\d+])?)*");

    static IsolatedInvocation of(byte[] event) {
        LocalDynamoDb dynamoDb = LocalDynamoDb.shared();
        String table = dynamoDb.createTable();
        // The most verbose level, so that every line the function can write is checked (PrivacyTest).
        LocalFunction function = new LocalFunction(dynamoDb.client(), table, Map.of(Configuration.LOG_LEVEL, "DEBUG"));
        Throwable thrown = null;
        try {
            function.invoke(event);
        } catch (RuntimeException | Error e) {
            thrown = e;
        }
        return new IsolatedInvocation(thrown, function.logLines(), function.metrics(),
                dynamoDb.allItems(table).size());
    }

    /**
     * INVALID: a clear error (InvalidEventException naming the field by its path first) that Lambda will retry and
     * then keep, and nothing written; NOT_OURS: returned normally, counted ignored, nothing written; KEPT: returned
     * normally, counted unrecognized, and the one item written is the kept event. Never anything else (no
     * NullPointerException, no parser's or DynamoDB's exception).
     */
    void assertClassifiedAs(Expected expected, String context) {
        FunctionOutputs counts = new FunctionOutputs(List.of());
        counts.add(metricDocuments, List.of());
        switch (expected) {
            case INVALID -> {
                assertThat(thrown).as("%s: thrown", context).isInstanceOf(InvalidEventException.class);
                String field = ((InvalidEventException) thrown).field();
                assertThat(field).as("%s: the field named", context).matches(FIELD_PATH);
                assertThat(thrown.getMessage()).as("%s: the message", context).startsWith(field + ": ");
                assertThat(counts.total(StageEventMetrics.INVALID_EVENTS)).as("%s: counted invalid", context)
                        .isEqualTo(1);
            }
            case NOT_OURS -> {
                assertThat(thrown).as("%s: thrown", context).isNull();
                assertThat(counts.total(StageEventMetrics.EVENTS_IGNORED)).as("%s: counted ignored", context)
                        .isEqualTo(1);
            }
            case KEPT -> {
                assertThat(thrown).as("%s: thrown", context).isNull();
                assertThat(counts.total(StageEventMetrics.UNRECOGNIZED_EVENTS)).as("%s: counted unrecognized",
                        context).isEqualTo(1);
            }
        }
        assertThat(counts.total(StageEventMetrics.EVENTS_RECORDED)).as("%s: counted recorded", context).isZero();
        assertThat(itemsWritten).as("%s: items written", context).isEqualTo(expected == Expected.KEPT ? 1 : 0);
    }
}
