package io.ivsstageevents.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** SQS events as Lambda delivers them in queue mode: one EventBridge event per message body. */
public final class SqsBatches {
    private SqsBatches() {
    }

    /** Message i has the id "message-i". */
    public static byte[] of(List<byte[]> bodies) {
        ObjectNode batch = JsonNodeFactory.instance.objectNode();
        ArrayNode records = batch.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            records.addObject()
                    .put("messageId", messageId(i))
                    .put("receiptHandle", "handle-" + i)
                    .put("body", new String(bodies.get(i), StandardCharsets.UTF_8))
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-west-2:123456789012:ivs-stage-events-ingest")
                    .put("awsRegion", "us-west-2");
        }
        return SampleEvents.bytes(batch);
    }

    public static String messageId(int index) {
        return "message-" + index;
    }
}
