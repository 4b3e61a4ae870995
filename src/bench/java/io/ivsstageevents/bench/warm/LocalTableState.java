package io.ivsstageevents.bench.warm;

import io.ivsstageevents.storage.DynamoDbClients;
import io.ivsstageevents.testing.LocalDynamoDb;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the benchmarks against DynamoDB Local share: the server in this process, the function's own client for it,
 * a new table for every iteration (so that each invocation records something new and tables stay small), and
 * which side the iteration measures.
 * The subclasses' own preparation runs through the hooks, so that its order against this is fixed.
 */
@State(Scope.Benchmark)
public abstract class LocalTableState {
    /** The system property that makes every iteration check its table before dropping it (bench/run --check). */
    static final String CHECK = "bench.check";

    protected LocalDynamoDb dynamoDbLocal;
    /** Built by DynamoDbClients, as the function builds it. */
    protected DynamoDbClient functionClient;
    protected String table;
    /** A or B of the alternation; see Alternation. */
    protected boolean sideA;
    private int iteration = -1;

    @Setup(Level.Trial)
    public void startDynamoDbLocal() {
        // DynamoDbClients uses the default credentials chain; DynamoDB Local accepts any key.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dynamoDbLocal = LocalDynamoDb.start();
        functionClient = DynamoDbClients.create(LocalDynamoDb.REGION, dynamoDbLocal.endpoint());
        prepareTrial();
    }

    @Setup(Level.Iteration)
    public void newTable() {
        iteration++;
        sideA = Alternation.isA(iteration);
        table = dynamoDbLocal.createTable();
        prepareIteration();
    }

    @TearDown(Level.Iteration)
    public void dropTable() {
        if (Boolean.getBoolean(CHECK)) {
            // Each event these benchmarks record, on either side, writes its ledger item and one state item.
            int items = LocalDynamoDb.allItemsOf(dynamoDbLocal.client(), table).size();
            if (eventsRecorded() == 0 || items != 2 * eventsRecorded()) {
                throw new IllegalStateException(getClass().getSimpleName() + (sideA ? " A" : " B") + " recorded "
                        + eventsRecorded() + " events and left " + items + " items, not two per event");
            }
        }
        dynamoDbLocal.client().deleteTable(request -> request.tableName(table));
    }

    @TearDown(Level.Trial)
    public void stopDynamoDbLocal() {
        closeTrial();
        functionClient.close();
        dynamoDbLocal.stop();
    }

    protected abstract void prepareTrial();

    protected abstract void prepareIteration();

    /** Events this iteration recorded, on whichever side: what its table is checked against. */
    protected abstract int eventsRecorded();

    /** For clients of a subclass's own; the function's client is closed here. */
    protected void closeTrial() {
    }
}
