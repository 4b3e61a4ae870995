package io.ivsstageevents.bench.reconciler;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the DynamoDB requests of the process it is loaded in, by operation, and the capacity units DynamoDB
 * reports for them. A global interceptor: the benchmark's subject jar lists it in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so the SDK adds it to every client the
 * function builds, and the function's own code and jar stay as shipped. It asks each request for
 * {@code ReturnConsumedCapacity=TOTAL} (table and indexes together), which changes nothing else of the request.
 */
public final class DynamoDbRequests implements ExecutionInterceptor {
    private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> ATTEMPTS = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> FAILURES = new ConcurrentHashMap<>();
    private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
    private static final DoubleAdder READ_UNITS = new DoubleAdder();
    /** Writes by the item type written ({@code itemType}): requests and capacity units. */
    private static final Map<String, LongAdder> WRITES_BY_ITEM = new ConcurrentHashMap<>();
    private static final Map<String, DoubleAdder> UNITS_BY_ITEM = new ConcurrentHashMap<>();

    /** The SDK builds it from the resource file: a public no-argument constructor. */
    public DynamoDbRequests() {
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (request instanceof PutItemRequest put) {
            return put.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof UpdateItemRequest update) {
            return update.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof GetItemRequest get) {
            return get.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof DeleteItemRequest delete) {
            return delete.toBuilder().returnConsumedCapacity(total).build();
        } else if (request instanceof QueryRequest query) {
            return query.toBuilder().returnConsumedCapacity(total).build();
        }
        return request;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        count(CALLS, operation(attributes));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        count(ATTEMPTS, operation(attributes));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        ConsumedCapacity consumed = null;
        boolean write = true;
        if (response instanceof PutItemResponse put) {
            consumed = put.consumedCapacity();
        } else if (response instanceof UpdateItemResponse update) {
            consumed = update.consumedCapacity();
        } else if (response instanceof DeleteItemResponse delete) {
            consumed = delete.consumedCapacity();
        } else if (response instanceof GetItemResponse get) {
            consumed = get.consumedCapacity();
            write = false;
        } else if (response instanceof QueryResponse query) {
            consumed = query.consumedCapacity();
            write = false;
        }
        if (consumed != null && consumed.capacityUnits() != null) {
            (write ? WRITE_UNITS : READ_UNITS).add(consumed.capacityUnits());
            if (context.request() instanceof PutItemRequest put && put.item().get("itemType") != null) {
                String itemType = put.item().get("itemType").s();
                count(WRITES_BY_ITEM, itemType);
                UNITS_BY_ITEM.computeIfAbsent(itemType, k -> new DoubleAdder()).add(consumed.capacityUnits());
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        count(FAILURES, operation(attributes) + ":" + context.exception().getClass().getSimpleName());
    }

    /**
     * One line: {@code calls Op=n,... attempts Op=n,... failures Op:Exception=n,... wru x rru y puts Type=n,...
     * putUnits Type=x,...}, the counts since the JVM started.
     */
    static String snapshot() {
        StringBuilder units = new StringBuilder();
        new TreeMap<>(UNITS_BY_ITEM).forEach((type, sum) ->
                units.append(units.length() == 0 ? "" : ",").append(type).append('=').append(sum.sum()));
        return "calls " + text(CALLS) + " attempts " + text(ATTEMPTS) + " failures " + text(FAILURES)
                + " wru " + WRITE_UNITS.sum() + " rru " + READ_UNITS.sum() + " puts " + text(WRITES_BY_ITEM)
                + " putUnits " + (units.length() == 0 ? "-" : units);
    }

    private static String operation(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return "DynamoDb".equals(service) ? operation : service + "." + operation;
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static String text(Map<String, LongAdder> counts) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(counts).forEach((key, count) ->
                text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(count.sum()));
        return text.length() == 0 ? "-" : text.toString();
    }
}
