package io.ivsstageevents.bench.warm;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/**
 * A DynamoDB that answers at once and holds nothing: GetItem finds no item, PutItem succeeds. Under the handler it
 * leaves the path without I/O; with recording on, it also keeps the requests the handler sent, which the bare-SDK
 * side of the warm benchmark then replays against DynamoDB Local.
 */
final class StubDynamoDb implements DynamoDbClient {
    private static final GetItemResponse NOTHING = GetItemResponse.builder().build();
    private static final PutItemResponse WRITTEN = PutItemResponse.builder().build();

    private final List<SdkRequest> sent;

    private StubDynamoDb(List<SdkRequest> sent) {
        this.sent = sent;
    }

    static StubDynamoDb discarding() {
        return new StubDynamoDb(null);
    }

    static StubDynamoDb recording() {
        return new StubDynamoDb(new ArrayList<>());
    }

    /** The requests sent since the last call, in order. */
    List<SdkRequest> drain() {
        List<SdkRequest> requests = List.copyOf(sent);
        sent.clear();
        return requests;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        if (sent != null) {
            sent.add(request);
        }
        return NOTHING;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        if (sent != null) {
            sent.add(request);
        }
        return WRITTEN;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
