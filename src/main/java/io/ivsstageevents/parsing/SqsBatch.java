package io.ivsstageevents.parsing;

import static io.ivsstageevents.json.JsonFields.string;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.ivsstageevents.json.JsonFields;
import io.ivsstageevents.json.JsonTree;
import io.ivsstageevents.model.InvalidEventException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Queue mode's envelope: an SQS batch whose message bodies are EventBridge events. Read and written here by
 * hand, into and out of the ecosystem's models, because the Lambda runtime's own serializer is not involved when
 * the handler takes the raw stream.
 */
public final class SqsBatch {
    private SqsBatch() {
    }

    /** An SQS event: {@code Records} whose first element comes from {@code aws:sqs}. No EventBridge event has them. */
    public static boolean isBatch(Map<String, Object> payload) {
        return payload.get("Records") instanceof List<?> records && !records.isEmpty()
                && records.get(0) instanceof Map<?, ?> first && "aws:sqs".equals(first.get("eventSource"));
    }

    /** A payload for which {@link #isBatch} holds. */
    public static SQSEvent read(Map<String, Object> payload) {
        List<Object> records = JsonFields.array(payload.get("Records"), "Records", "an array");
        List<SQSEvent.SQSMessage> messages = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            String path = "Records[" + i + "]";
            Map<String, Object> record = JsonFields.object(records.get(i), path);
            String messageId = string(record.get("messageId"), path + ".messageId");
            if (messageId == null) {
                // Without it no failure can be reported for this message: the whole batch must fail instead.
                throw new InvalidEventException(path + ".messageId", "missing");
            }
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(messageId);
            message.setEventSource(string(record.get("eventSource"), path + ".eventSource"));
            message.setBody(string(record.get("body"), path + ".body"));
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    /** {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}, as ReportBatchItemFailures expects. */
    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        JsonTree.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", failure.getItemIdentifier());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }, out);
    }
}
