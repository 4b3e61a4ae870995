package io.ivsstageevents.parsing;

import static io.ivsstageevents.parsing.JsonFields.present;
import static io.ivsstageevents.parsing.JsonFields.string;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Queue mode's envelope: an SQS batch whose message bodies are EventBridge events. Read and written here by
 * hand, into and out of the ecosystem's models, because the Lambda runtime's own serializer is not involved when
 * the handler takes the raw stream.
 */
public final class SqsBatch {
    private static final JsonFactory JSON = new JsonFactory();

    private SqsBatch() {
    }

    /** An SQS event: {@code Records} whose first element comes from {@code aws:sqs}. No EventBridge event has them. */
    public static boolean isBatch(JsonNode payload) {
        JsonNode records = payload.get("Records");
        return records != null && records.isArray() && !records.isEmpty()
                && "aws:sqs".equals(records.get(0).path("eventSource").asText(null));
    }

    public static SQSEvent read(JsonNode payload) {
        JsonNode records = payload.get("Records");
        List<SQSEvent.SQSMessage> messages = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String path = "Records[" + i + "]";
            String messageId = string(present(record.get("messageId")), path + ".messageId");
            if (messageId == null) {
                // Without it no failure can be reported for this message: the whole batch must fail instead.
                throw new InvalidEventException(path + ".messageId", "missing");
            }
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(messageId);
            message.setEventSource(string(present(record.get("eventSource")), path + ".eventSource"));
            message.setBody(string(present(record.get("body")), path + ".body"));
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    /** {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}, as ReportBatchItemFailures expects. */
    public static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeArrayFieldStart("batchItemFailures");
            for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
                generator.writeStartObject();
                generator.writeStringField("itemIdentifier", failure.getItemIdentifier());
                generator.writeEndObject();
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
    }
}
