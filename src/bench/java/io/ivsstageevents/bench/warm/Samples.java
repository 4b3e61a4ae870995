package io.ivsstageevents.bench.warm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ivsstageevents.Configuration;
import io.ivsstageevents.path.Log;
import io.ivsstageevents.StageEventHandler;
import io.ivsstageevents.testing.LocalDynamoDb;
import io.ivsstageevents.testing.SampleEvents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** What the warm benchmarks feed the handler, and the handler they feed it to. */
final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    /**
     * The sample, count times, each with a participant of its own: every invocation records something new, as in
     * production, rather than finding its own earlier write (the duplicate path, which is not the common one).
     */
    static List<byte[]> distinctParticipants(String sampleFile, int count, String prefix) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(SampleEvents.bytes(sampleFile));
            List<byte[]> variants = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ((ObjectNode) event.get("detail")).put("participant_id", prefix + i);
                variants.add(JSON.writeValueAsBytes(event));
            }
            return variants;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SQS batch whose bodies are the given events, as queue mode receives it. */
    static byte[] sqsBatch(List<byte[]> events, int from, int size) {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode records = batch.putArray("Records");
        for (int i = from; i < from + size; i++) {
            ObjectNode record = records.addObject();
            record.put("messageId", "message-" + i);
            record.put("eventSource", "aws:sqs");
            record.put("body", new String(events.get(i), StandardCharsets.UTF_8));
        }
        try {
            return JSON.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Configuration configuration(String table, URI endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put(Configuration.TABLE_NAME, table);
        env.put(Configuration.AWS_REGION, LocalDynamoDb.REGION);
        env.put(Configuration.RETENTION_DAYS, "0");
        if (endpoint != null) {
            env.put(Configuration.DYNAMODB_ENDPOINT, endpoint.toString());
        }
        return Configuration.fromEnvironment(env);
    }

    /**
     * The handler as Lambda runs it, but writing its log lines (INFO, formatted as in Lambda) and metric documents
     * to nowhere, so that the benchmark measures producing them and not a terminal.
     */
    static StageEventHandler handler(String table, DynamoDbClient dynamoDb) {
        Configuration configuration = configuration(table, null);
        return new StageEventHandler(configuration, dynamoDb, document -> { },
                new Log(configuration.logLevel(), new PrintStream(OutputStream.nullOutputStream())),
                Clock.systemUTC());
    }

    /** The requests the handler sends for each event, recorded on a DynamoDB that answers at once. */
    static List<List<SdkRequest>> recordRequests(List<byte[]> events) {
        StubDynamoDb stub = StubDynamoDb.recording();
        StageEventHandler recordingHandler = handler("TABLE", stub);
        List<List<SdkRequest>> recorded = new ArrayList<>(events.size());
        for (byte[] event : events) {
            invoke(recordingHandler, event);
            recorded.add(stub.drain());
        }
        return recorded;
    }

    /** The recorded requests aimed at another table, built before the iteration so that B pays nothing extra. */
    static List<List<SdkRequest>> retarget(List<List<SdkRequest>> recorded, String table) {
        List<List<SdkRequest>> requests = new ArrayList<>(recorded.size());
        for (List<SdkRequest> invocation : recorded) {
            List<SdkRequest> retargeted = new ArrayList<>(invocation.size());
            for (SdkRequest request : invocation) {
                retargeted.add(request instanceof PutItemRequest put ? put.toBuilder().tableName(table).build()
                        : ((GetItemRequest) request).toBuilder().tableName(table).build());
            }
            requests.add(retargeted);
        }
        return requests;
    }

    static void send(DynamoDbClient dynamoDb, List<SdkRequest> requests) {
        for (SdkRequest request : requests) {
            if (request instanceof PutItemRequest put) {
                dynamoDb.putItem(put);
            } else {
                dynamoDb.getItem((GetItemRequest) request);
            }
        }
    }

    static void invoke(StageEventHandler handler, byte[] event) {
        try {
            handler.handleRequest(new ByteArrayInputStream(event), OutputStream.nullOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
